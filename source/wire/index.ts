// Wire formats shared by `fwcheck serve` and the client's service checks.
export * from './discovery.js';
export * from './control-wire.js';
export * from './sip-message.js';
export * from './sip-echo.js';
