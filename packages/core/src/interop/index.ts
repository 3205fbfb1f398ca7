/** Node interop: an Observable to Server-Sent Events, a WebSocket, a Readable or an async iterable. */
export { toServerSentEvents, type ServerSentEventsConfig, type SseResponse } from './toServerSentEvents';
export { toWebSocket, type WebSocketConfig, type WebSocketLike } from './toWebSocket';
export { toReadable, type ReadableConfig } from './toReadable';
export { toAsyncIterable, type AsyncIterableConfig } from './toAsyncIterable';
export { formatServerSentEvent, type ServerSentEvent } from './serverSentEventFrame';
export { BufferOverflowError } from './BufferOverflowError';
export type { StreamOutcome } from './StreamOutcome';
export type { ErrorPayload } from './errorPayload';
