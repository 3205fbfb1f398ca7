import { DECLINED_CAPI_CALLS } from './capiRoutes.js';
import type { EndpointRoute } from './recordedRequest.js';

/** What the endpoint serves, for the 404 message that tells a caller what it could have asked for. */
export const SERVED = ['POST /v1/chat/completions', 'POST /chat/completions', 'GET /copilot_internal/user', 'GET /models'] as const;

/**
 * Which route a request reaches. A target that is not a path (`CONNECT host:443`, `GET http://host/`)
 * is a proxy request: the CLI only sends those when it tries to reach a host other than this one.
 */
export function routeOf(method: string, target: string): EndpointRoute {
  if (method === 'CONNECT' || !target.startsWith('/')) return 'proxy';
  const path = target.split('?')[0]!;
  if (method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) return 'chat';
  if (method === 'GET' && path === '/copilot_internal/user') return 'user';
  if (method === 'GET' && path === '/models') return 'models';
  if (DECLINED_CAPI_CALLS.some((call) => call.method === method && path.startsWith(call.prefix))) return 'declined';
  return 'unknown';
}
