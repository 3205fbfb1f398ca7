/**
 * Sorts a parsed JSON value into the JSON-RPC message kinds the fast reader routes differently. The
 * checks mirror vscode-jsonrpc's own (`Message.isRequest` etc.), so whatever is passed on to it is
 * something it will dispatch; anything else is named as malformed here instead of being dropped
 * silently further down. `kindOf` runs once per message on the hot path, so it allocates nothing;
 * `whyMalformed` runs only for the rare bad one.
 */
import { quoteValue } from '../quoteValue.js';

/**
 * - `notification`: for the event stream (`session.event`, `session.lifecycle`, `host.event`...);
 * - `rpc`: a request or a response, which vscode-jsonrpc correlates and dispatches;
 * - `protocol`: a `$/` notification (`$/cancelRequest`, `$/progress`...) that vscode-jsonrpc implements;
 * - `malformed`: none of these (see `whyMalformed`).
 */
export type MessageKind = 'notification' | 'rpc' | 'protocol' | 'malformed';

interface Candidate {
  readonly method?: unknown;
  readonly id?: unknown;
  readonly result?: unknown;
  readonly error?: unknown;
}

const DOLLAR = 36;
const SLASH = 47;

export function kindOf(value: unknown): MessageKind {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'malformed';
  const { method, id } = value as Candidate;
  if (typeof method === 'string') {
    if (id === undefined) {
      return method.charCodeAt(0) === DOLLAR && method.charCodeAt(1) === SLASH ? 'protocol' : 'notification';
    }
    return typeof id === 'string' || typeof id === 'number' ? 'rpc' : 'malformed';
  }
  if (method !== undefined) return 'malformed';
  const { result, error } = value as Candidate;
  const identified = typeof id === 'string' || typeof id === 'number' || id === null;
  return identified && (result !== undefined || error !== undefined) ? 'rpc' : 'malformed';
}

/**
 * Why `kindOf(value)` said `malformed`, in words that name the offending field. The field is quoted
 * with `quoteValue` (bounded): an id nested 20,000 levels deep is valid JSON, and JSON.stringify
 * of it overflows the stack.
 */
export function whyMalformed(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `a JSON-RPC message must be an object (the CLI sends no batches). Got ${Array.isArray(value) ? 'an array' : typeof value}`;
  }
  const { method, id } = value as Candidate;
  if (typeof method === 'string') return `a request's id must be a string or a number. Got ${quoteValue(id)}`;
  if (method !== undefined) return `method must be a string. Got ${quoteValue(method)}`;
  return 'neither a request, a response nor a notification (no method, and no id with a result or an error)';
}

/**
 * Why a response's `error` is not one vscode-jsonrpc can turn into a rejection; undefined when it
 * can (or the message is not a response with an error). It builds `new Error(error.message)`, which
 * stringifies a nested array recursively (a stack overflow, caught and logged by vscode-jsonrpc, so
 * the request never settles), and it drops a falsy `error` without a `result` the same way.
 */
export function whyBadResponseError(value: object): string | undefined {
  const { method, error, result } = value as Candidate;
  if (method !== undefined || error === undefined) return undefined;
  if (typeof error === 'object' && error !== null && !Array.isArray(error)) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === 'number' && typeof message === 'string') return undefined;
  } else if (!error && result !== undefined) {
    return undefined;
  }
  return `a response's error must be {"code": <number>, "message": <string>}. Got ${quoteValue(error)}`;
}
