import { quote } from '../quote';
import type { Decision } from './PermissionBroker';

/** What the page asks for when it creates a session. */
export interface CreateSessionRequest {
  /** The label shown in the table (default: a numbered name, or the session id in fleet mode). */
  readonly label?: string;
  /** Fleet mode: the host to create it on (may be left out when exactly one host is up). */
  readonly host?: string;
}

/**
 * What the routes do with sessions: the embedded CLI's (SessionManager) or a fleet's
 * (FleetSessionManager). Every method that names a session throws UnknownSessionError for an id the
 * dashboard does not show.
 */
export interface DashboardSessions {
  /** Creates a session and starts showing it; resolves with its dashboard id. */
  create(request: CreateSessionRequest): Promise<string>;
  /** Starts a turn; how it goes shows in the session's events (a failure the events cannot show becomes a notice). */
  send(sessionId: string, prompt: string): void;
  /** Aborts the running turn (harmless when idle). */
  abort(sessionId: string): Promise<void>;
  /** Settles a permission prompt; false when it is not pending any more. */
  decide(sessionId: string, requestId: string, decision: Decision): boolean | Promise<boolean>;
  /** Stops showing and running everything. */
  dispose(): void;
}

/** A request named a session this app does not have. */
export class UnknownSessionError extends Error {
  override readonly name = 'UnknownSessionError';
  constructor(readonly sessionId: string) {
    super(`No session ${quote(sessionId)}; create one first (POST /api/sessions)`);
  }
}
