/**
 * A notification as it came off the wire. On the fast path this is the parsed message object itself
 * (it also carries `"jsonrpc": "2.0"`); `params` is undefined when the CLI sent none.
 */
export interface RpcNotification {
  readonly method: string;
  readonly params: unknown;
}
