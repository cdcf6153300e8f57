/** What went wrong when starting the server, in a form the CLI can branch on. */
export type StunServerErrorCode =
	'address-not-available' | 'port-in-use' | 'permission-denied' | 'invalid-options' | 'bind-failed';

/** A startup failure whose message is one line, ready to show to a user as it is. */
export class StunServerError extends Error {
	override readonly name = 'StunServerError';

	constructor(
		readonly code: StunServerErrorCode,
		message: string,
		/** The host:port that could not be bound, when the failure is about one socket. */
		readonly endpoint?: string,
		options?: {cause?: unknown},
	) {
		super(message, options);
	}
}

/** Turn a failed bind into a typed error that names the socket and says what to do. */
export const bindError = (
	endpoint: string,
	ip: string,
	error: NodeJS.ErrnoException,
	transport: 'udp' | 'tcp' = 'udp',
): StunServerError => {
	switch (error.code) {
		case 'EADDRNOTAVAIL': {
			return new StunServerError(
				'address-not-available',
				`cannot listen on ${endpoint}/${transport}: this host has no address ${ip} (check the address, or the interface it lives on)`,
				endpoint,
				{cause: error},
			);
		}

		case 'EADDRINUSE': {
			return new StunServerError(
				'port-in-use',
				`cannot listen on ${endpoint}/${transport}: the port is already in use by another program (another STUN or SIP server?)`,
				endpoint,
				{cause: error},
			);
		}

		case 'EACCES':
		case 'EPERM': {
			return new StunServerError(
				'permission-denied',
				`cannot listen on ${endpoint}/${transport}: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)`,
				endpoint,
				{cause: error},
			);
		}

		default: {
			return new StunServerError(
				'bind-failed',
				`cannot listen on ${endpoint}/${transport}: ${oneLine(error.message)}`,
				endpoint,
				{
					cause: error,
				},
			);
		}
	}
};

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

/** One line for the CLI to print, whatever was thrown. */
export const formatServerError = (error: unknown): string => {
	if (error instanceof StunServerError) {
		return oneLine(error.message);
	}

	if (error instanceof Error) {
		return oneLine(error.message) || error.name;
	}

	return oneLine(String(error));
};
