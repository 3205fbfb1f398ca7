import { RpcError, RpcErrorCode } from '../rpc/messages.js';
import type { Params } from '../rpc/params.js';
import type { AgentContext, EventSink } from '../session/AgentContext.js';
import type { FakeSession } from '../session/FakeSession.js';
import type { HandlerOutcome } from '../session/pendingRequests.js';

/** The agent-wide state method handlers work on. */
export interface AgentState {
  readonly context: AgentContext;
  readonly sessions: Map<string, FakeSession>;
}

/** What a method handler sees: the agent, and the connection the request came from. */
export interface MethodContext {
  readonly agent: AgentState;
  readonly sink: EventSink;
}

/** Handles one request; throws `RpcError` to answer with an error. */
export type MethodHandler = (params: Params, context: MethodContext) => HandlerOutcome;

/** The CLI's error for a failed session call (protocol.md §2): -32603 "Request <method> failed with message: <reason>". */
export function sessionFailure(method: string, reason: string): RpcError {
  return new RpcError(RpcErrorCode.InternalError, `Request ${method} failed with message: ${reason}`);
}

/** The loaded session named by `params.sessionId`, or the CLI's "Session not found" error. */
export function loadedSession(params: Params, { agent }: MethodContext): FakeSession {
  const sessionId = params.string('sessionId');
  const session = agent.sessions.get(sessionId);
  if (session?.loaded !== true) throw sessionFailure(params.method, `Session not found for sessionId: ${sessionId}`);
  return session;
}
