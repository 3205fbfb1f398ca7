export * from './connect';
export * from './session';
export * from './pending';
export * from './serverRequests';
