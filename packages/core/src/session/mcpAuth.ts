/**
 * MCP OAuth: a remote MCP server of the session needs an access token, and the CLI asks the client
 * for one with an `mcp.oauth_required` event; copilot-rx answers with
 * `session.mcp.oauth.handlePendingRequest`. The handler returns a token (`{ accessToken, tokenType?,
 * expiresIn? }`), or nothing to cancel. A handler that fails, answers garbage or misses its deadline
 * (`handlerTimeouts.mcpAuth`, default 5 minutes) gets "cancelled" sent in its place. The token goes to
 * the CLI only: it is never logged or reported (a failure report quotes no answer that passed its check).
 */
import * as t from 'io-ts';
import type { McpOauthPendingRequestResponse } from '../codecs/generated/api/index.js';
import type { SessionEventData, SessionEventOf } from '../codecs/sessionEvent.js';
import type { Answer, HandlerContext } from './answer.js';
import { askSessionHandler } from './askSessionHandler.js';
import type { SessionRpc } from '../rpcApi/index.js';
import { answer, type ResponderContext } from './responder.js';

export type McpAuthRequest = SessionEventData<'mcp.oauth_required'>;

/** A token for the server, or nothing (undefined, null) to cancel the sign-in. */
export const McpAuthAnswer = t.union(
  [t.undefined, t.null, t.intersection([t.type({ accessToken: t.string }), t.partial({ tokenType: t.string, expiresIn: t.number })])],
  'McpAuthAnswer',
);
export type McpAuthAnswer = t.TypeOf<typeof McpAuthAnswer>;

export type McpAuthHandler = (request: McpAuthRequest, context: HandlerContext) => Answer<McpAuthAnswer>;

export const MCP_AUTH_METHOD = 'session.mcp.oauth.handlePendingRequest';

/** The safe answer, sent in place of a handler that gave no token: the sign-in is cancelled. */
export const MCP_AUTH_CANCELLED: McpOauthPendingRequestResponse = { kind: 'cancelled' };

/** Answers one OAuth request, when the session has a handler (else another client may). */
export async function answerMcpAuth(context: ResponderContext, event: SessionEventOf<'mcp.oauth_required'>): Promise<void> {
  const handler = context.config.onMcpAuth;
  if (!handler) return;
  const request = event.data;
  const token = await askSessionHandler(context, (handlerContext) => handler(request, handlerContext), {
    kind: 'mcpAuth',
    method: MCP_AUTH_METHOD,
    requestId: request.requestId,
    subject: `MCP OAuth request ${request.requestId} (server ${request.serverName})`,
    decoder: McpAuthAnswer,
    fallback: () => undefined,
  });
  const result: McpOauthPendingRequestResponse = token ? { kind: 'token', ...token } : MCP_AUTH_CANCELLED;
  answer(context, MCP_AUTH_METHOD, request.requestId, { result });
}

/**
 * The CLI asks a client for an MCP sign-in (`mcp.oauth_required`) only once the client registered
 * interest in that event, as the official SDK does on attach; until then a server needing OAuth just
 * shows `needs-auth`. Called by the client after each attach of a session with `onMcpAuth`.
 */
export async function registerMcpAuthInterest(session: { readonly rpc: SessionRpc }): Promise<void> {
  await session.rpc.eventLog.registerInterest({ eventType: 'mcp.oauth_required' });
}
