import {randomBytes} from 'node:crypto';

/** A fresh 96-bit transaction ID from the CSPRNG: guessing it is how forged replies would pass. */
export const newTransactionId = (): Buffer => randomBytes(12);
