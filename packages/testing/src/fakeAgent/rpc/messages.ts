/** JSON-RPC 2.0 message shapes and the error codes the Copilot CLI uses (protocol.md §1.4-§1.6, §2). */

export type RequestId = number | string;

export interface RpcRequest {
  readonly jsonrpc: '2.0';
  readonly id: RequestId;
  readonly method: string;
  readonly params?: unknown;
}

export interface RpcNotificationMessage {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params?: unknown;
}

export interface RpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

export type RpcResponse =
  | { readonly jsonrpc: '2.0'; readonly id: RequestId | null; readonly result: unknown }
  | { readonly jsonrpc: '2.0'; readonly id: RequestId | null; readonly error: RpcErrorObject };

export type RpcMessage = RpcRequest | RpcNotificationMessage | RpcResponse;

/** The error codes seen on the wire. */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Any method other than `connect` before a successful `connect`, on a server with a token. */
  AuthenticationRequired: -32001,
  /** `connect` with a wrong or missing token. */
  AuthenticationFailed: -32002,
} as const;

/** Thrown by method handlers; becomes the `error` of the response. */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  toJSON(): RpcErrorObject {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

/** What an incoming message is, so the connection can route it. */
export type Classified =
  | { readonly kind: 'request'; readonly message: RpcRequest }
  | { readonly kind: 'notification'; readonly message: RpcNotificationMessage }
  | { readonly kind: 'response'; readonly message: RpcResponse }
  | { readonly kind: 'invalid'; readonly id: RequestId | null; readonly reason: string };

/** Sorts a parsed JSON value into request, notification, response, or invalid (with the reason). */
export function classify(value: unknown): Classified {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', id: null, reason: `A JSON-RPC message must be an object. Got ${describe(value)}` };
  }
  const record = value as Record<string, unknown>;
  const id = record['id'];
  const validId = typeof id === 'number' || typeof id === 'string' ? id : null;
  if (record['jsonrpc'] !== '2.0') {
    return { kind: 'invalid', id: validId, reason: `"jsonrpc" must be "2.0". Got ${describe(record['jsonrpc'])}` };
  }
  if (typeof record['method'] === 'string') {
    if (id === undefined) return { kind: 'notification', message: value as RpcNotificationMessage };
    if (validId === null) return { kind: 'invalid', id: null, reason: `A request id must be a number or a string. Got ${describe(id)}` };
    return { kind: 'request', message: value as RpcRequest };
  }
  if ('result' in record || 'error' in record) return { kind: 'response', message: value as RpcResponse };
  return { kind: 'invalid', id: validId, reason: 'A JSON-RPC message needs a "method", a "result" or an "error"' };
}

/** A short description of a value for error messages: its JSON, cut to 60 characters. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
