import type { IncomingMessage } from 'node:http';
import { quote } from '../quote';
import { HttpError } from './HttpError';

/**
 * The names this server answers to: the address it binds, and the name every machine gives that
 * address. Not [::1]: the server does not listen there.
 */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'];

/** Methods that change nothing here; every other one must come from the dashboard's own page. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** `name:port` for each loopback name; a browser leaves out port 80 from Host and Origin. */
function hostsOn(port: number): string[] {
  return LOOPBACK_NAMES.flatMap((name) => (port === 80 ? [`${name}:80`, name] : [`${name}:${port}`]));
}

/**
 * Refuses (421) a request whose Host header does not name this server by a loopback name and its
 * port. A page on another site whose name is rebound to 127.0.0.1 (DNS rebinding) does reach this
 * port, but its requests still carry that site's name as Host; refused before the token is checked,
 * such a page learns nothing about the server.
 */
export function checkHost(req: IncomingMessage, port: number): void {
  const host = req.headers.host?.toLowerCase();
  if (host !== undefined && hostsOn(port).includes(host)) return;
  throw new HttpError(
    421,
    `This dashboard answers only to http://127.0.0.1:${port} and http://localhost:${port}; the request was for ${host === undefined ? 'no host' : `host ${quote(host)}`}`,
  );
}

/**
 * Refuses (403) a request that may change something (any method but GET and HEAD) whose Origin is
 * another site's. Browsers send Origin with every such request (fetch and form posts alike), so one
 * without Origin does not come from a browser: curl, a script, a test, governed by the token alone,
 * and able to claim any Origin anyway. "null" (a sandboxed frame, a file: page, a redirect from
 * another site) is foreign.
 */
export function checkOrigin(req: IncomingMessage, port: number): void {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return;
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (hostsOn(port).some((host) => origin.toLowerCase() === `http://${host}`)) return;
  throw new HttpError(403, `Requests that change something must come from the dashboard's own page (http://127.0.0.1:${port}); this one came from ${quote(origin)}`);
}
