/** Node interop: an Observable to Server-Sent Events, a WebSocket, a Readable or an async iterable. */
export { toServerSentEvents, type ServerSentEventsConfig, type SseResponse } from './toServerSentEvents.js';
export { toWebSocket, type WebSocketConfig, type WebSocketLike } from './toWebSocket.js';
export { toReadable, type ReadableConfig } from './toReadable.js';
export { toAsyncIterable, type AsyncIterableConfig } from './toAsyncIterable.js';
export { formatServerSentEvent, type ServerSentEvent } from './serverSentEventFrame.js';
export { BufferOverflowError } from './BufferOverflowError.js';
export type { StreamOutcome } from './StreamOutcome.js';
export type { ErrorPayload } from './errorPayload.js';
