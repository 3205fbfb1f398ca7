// `ofType` lives in core, next to the `SessionEvent` union it narrows; re-exported here so apps that
// only import operators have it too.
export { ofType } from '@copilot-rx/core';
