/**
 * The `$/` notifications vscode-jsonrpc implements itself read their params without checking them:
 * `$/cancelRequest` reads `params.id` synchronously inside the reader's callback (a TypeError there
 * escapes the socket's `data` handler and ends the process) and turns the id into a string (a nested
 * array recurses once per level); `$/progress` and `$/logTrace` read `params.token` and
 * `params.message`. So the reader checks their params first and reports what vscode-jsonrpc could
 * not act on. Other `$/` methods reach the connection's own handler, which takes any params.
 */
import { quoteValue } from '../quoteValue.js';

type Check = (params: unknown) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isIdOrToken = (value: unknown): boolean => typeof value === 'string' || typeof value === 'number';

const CHECKS: ReadonlyMap<string, Check> = new Map<string, Check>([
  [
    '$/cancelRequest',
    (params) =>
      isObject(params) && isIdOrToken(params['id'])
        ? undefined
        : `$/cancelRequest params must be {"id": <string or number>}. Got ${quoteValue(params)}`,
  ],
  [
    '$/progress',
    // vscode-jsonrpc also accepts the positional form [token, value] that some peers send.
    (params) =>
      (isObject(params) && isIdOrToken(params['token'])) || (Array.isArray(params) && params.length === 2 && isIdOrToken(params[0]))
        ? undefined
        : `$/progress params must be {"token": <string or number>, "value": ...}. Got ${quoteValue(params)}`,
  ],
  [
    '$/logTrace',
    (params) =>
      isObject(params) && typeof params['message'] === 'string'
        ? undefined
        : `$/logTrace params must be {"message": <string>}. Got ${quoteValue(params)}`,
  ],
]);

/** Why vscode-jsonrpc could not act on this `$/` notification's params; undefined when it can. */
export function whyBadProtocolParams(method: string, params: unknown): string | undefined {
  return CHECKS.get(method)?.(params);
}
