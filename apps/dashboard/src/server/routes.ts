import type { IncomingMessage, ServerResponse } from 'node:http';
import { toServerSentEvents } from '@copilot-rx/core';
import type { DashboardStore } from '../model/DashboardStore';
import { quote, shorten } from '../quote';
import { UnknownSessionError, type DashboardSessions } from '../sessions/DashboardSessions';
import { tokenMatches, tokenOf } from './accessToken';
import { HttpError } from './HttpError';
import { checkHost, checkOrigin } from './localOrigin';
import type { StaticFile } from './page';
import { readJsonBody, requiredString } from './readJsonBody';

export interface RouteContext {
  readonly token: string;
  readonly page: ReadonlyMap<string, StaticFile>;
  readonly store: DashboardStore;
  /** What the routes do with sessions (a stand-in in the server's own specs). */
  readonly sessions: Pick<DashboardSessions, 'create' | 'send' | 'abort' | 'decide'>;
}

/** A long prompt is fine; a megabyte of it is a mistake. */
const MAX_PROMPT_CHARS = 100_000;
/** Comments this often keep proxies and browsers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // The token is in the page's URL: never send it on in a Referer.
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function segmentsOf(url: URL): string[] {
  try {
    return url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  } catch {
    throw new HttpError(400, `The path is not valid percent-encoding: ${quote(url.pathname)}`);
  }
}

function expectMethod(req: IncomingMessage, method: string): void {
  if (req.method !== method) throw new HttpError(405, `${req.method} is not allowed here; use ${method}`);
}

/** The route a request asked for, for a 404: the path is the client's, so it is shortened. */
const noRoute = (req: IncomingMessage, url: URL) => new HttpError(404, `No route ${req.method} ${shorten(url.pathname, 200)}`);

/**
 * The dashboard's routes. Every request must name this server as its Host (421 otherwise: DNS
 * rebinding), come from the dashboard's own page when it may change something (403 for a foreign
 * Origin), and carry the access token (403 otherwise, whatever the path), checked in that order. GET: the page, its assets, and `/events` (Server-Sent Events: a snapshot, then patches).
 * POST (JSON): `/api/sessions {label?, host?}` creates a session (on `host` in fleet mode); `/api/sessions/:id/turns {prompt}` starts a turn;
 * `/api/sessions/:id/abort` aborts it; `/api/sessions/:id/permissions/:requestId {decision}` answers
 * a permission prompt with "approve" or "deny".
 */
export async function route(req: IncomingMessage, res: ServerResponse, context: RouteContext): Promise<void> {
  // The port this request came in on is the server's: it is only known once the server listens.
  const port = req.socket.localPort ?? 0;
  checkHost(req, port);
  checkOrigin(req, port);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!tokenMatches(tokenOf(req, url), context.token)) {
    throw new HttpError(403, 'Missing or wrong access token: open the URL the app printed, with its ?token=...');
  }
  const file = context.page.get(url.pathname);
  if (file) {
    expectMethod(req, 'GET');
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.contentType, 'content-length': Buffer.byteLength(file.body) });
    res.end(file.body);
    return;
  }
  const segments = segmentsOf(url);
  if (segments.length === 1 && segments[0] === 'events') {
    expectMethod(req, 'GET');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    await toServerSentEvents(context.store.updates(), res, { event: () => undefined, heartbeatMs: HEARTBEAT_MS });
    return;
  }
  const [api, sessions, sessionId, verb, permissionId, ...rest] = segments;
  const extra = rest.length > 0 || (verb !== 'permissions' && permissionId !== undefined);
  if (api !== 'api' || sessions !== 'sessions' || extra) throw noRoute(req, url);
  expectMethod(req, 'POST');
  const body = await readJsonBody(req);
  if (sessionId === undefined) {
    const label = body['label'] === undefined ? undefined : requiredString(body, 'label', 80);
    const host = body['host'] === undefined ? undefined : requiredString(body, 'host', 128);
    return sendJson(res, 201, { sessionId: await context.sessions.create({ ...(label === undefined ? {} : { label }), ...(host === undefined ? {} : { host }) }) });
  }
  switch (verb) {
    case 'turns':
      context.sessions.send(sessionId, requiredString(body, 'prompt', MAX_PROMPT_CHARS));
      return sendJson(res, 202, { sessionId });
    case 'abort':
      await context.sessions.abort(sessionId);
      return sendJson(res, 202, { sessionId });
    case 'permissions': {
      if (permissionId === undefined) throw new HttpError(404, 'Name the permission request: /api/sessions/:id/permissions/:requestId');
      const decision = requiredString(body, 'decision', 10);
      if (decision !== 'approve' && decision !== 'deny') throw new HttpError(400, `"decision" must be "approve" or "deny". Got ${quote(decision)}`);
      if (!(await context.sessions.decide(sessionId, permissionId, decision))) {
        throw new HttpError(409, `Permission request ${quote(permissionId)} is not pending (already answered, or its turn ended)`);
      }
      return sendJson(res, 200, { sessionId, requestId: permissionId, decision });
    }
    default:
      throw noRoute(req, url);
  }
}

/** Turns what a route threw into a JSON error; the server keeps serving. */
export function sendError(res: ServerResponse, error: unknown): void {
  const status = error instanceof HttpError ? error.status : error instanceof UnknownSessionError ? 404 : 500;
  const message = error instanceof Error ? error.message : String(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: { status, message } });
}
