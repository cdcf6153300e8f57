export * from './constants.js';
export * from './address.js';
export * from './attributes.js';
export * from './message.js';
export * from './fingerprint.js';
export * from './integrity.js';
export * from './transaction-id.js';
export * from './raw-message.js';
