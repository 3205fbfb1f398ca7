export * from './connect.js';
export * from './session.js';
export * from './pending.js';
export * from './serverRequests.js';
