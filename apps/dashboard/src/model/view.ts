/**
 * What the page shows, as plain JSON: the server computes it from the Observables and sends it as a
 * snapshot followed by patches (see patches.ts), so the page only renders.
 */

/** What a session is doing, as the sessions table shows it. */
export type Activity = 'starting' | 'working' | 'streaming' | 'running tool' | 'waiting for permission' | 'idle' | 'error';

export interface SessionRow {
  readonly activity: Activity;
  readonly model: string;
  /** Prompts sent (user messages of the main agent). */
  readonly turns: number;
  readonly inputTokens: number;
  /** Exact for finished model calls, estimated with a tokenizer for the one streaming now. */
  readonly outputTokens: number;
  /** Prompt tokens served from the provider's cache. */
  readonly cachedTokens: number;
  /** The premium-request multiplier of every call, summed. */
  readonly cost: number;
  /** Of the latest turn: from the prompt to the model's first output. */
  readonly ttftMs: number | null;
  /** Of the latest turn: output tokens per second of streaming. */
  readonly tokensPerSecond: number | null;
  /** The tools running now, by name. */
  readonly toolsInProgress: readonly string[];
  /** The latest `session.error` message, until the next prompt. */
  readonly error: string | null;
}

export type TranscriptEntry =
  | { readonly kind: 'prompt'; readonly text: string }
  | { readonly kind: 'answer'; readonly messageId: string; readonly text: string }
  | { readonly kind: 'reasoning'; readonly reasoningId: string; readonly text: string }
  | { readonly kind: 'notice'; readonly level: 'info' | 'error'; readonly text: string };

export type ToolStatus = 'running' | 'waiting for permission' | 'succeeded' | 'failed' | 'interrupted';

export interface ToolView {
  readonly toolCallId: string;
  readonly name: string;
  /** The arguments as JSON, shortened for display. */
  readonly arguments: string;
  readonly status: ToolStatus;
  readonly startedAt: string;
  readonly durationMs: number | null;
  /** The result (or the error message), shortened for display. */
  readonly result: string | null;
}

export interface PermissionView {
  readonly requestId: string;
  /** `custom-tool`, `shell`, `write`, `url`, ... */
  readonly kind: string;
  /** One line saying what is asked, e.g. `get_weather {"city":"Paris"}`. */
  readonly summary: string;
}

export interface SessionView {
  /** Unique in the dashboard: the CLI's session id, or `<host>.<sessionId>` in fleet mode. */
  readonly id: string;
  readonly label: string;
  /** Fleet mode: the host the session runs on. */
  readonly host?: string;
  /** Fleet mode: the host's word on the session; `lost` when its host went down, `destroyed` when it ended. */
  readonly remoteState?: RemoteState;
  readonly row: SessionRow;
  readonly transcript: readonly TranscriptEntry[];
  readonly tools: readonly ToolView[];
  readonly permissions: readonly PermissionView[];
}

/** A session's state as its fleet host reports it (see @copilot-rx/fleet's SessionStatus). */
export type RemoteState = 'idle' | 'busy' | 'destroyed' | 'lost';

/** One host of the fleet, as the hosts table shows it. */
export interface HostView {
  readonly host: string;
  readonly up: boolean;
  /** Why it is down: it stopped cleanly, or its heartbeats stopped (killed, cut off). */
  readonly downReason: 'stopped' | 'expired' | null;
  /** The broker's time of its last heartbeat, ISO 8601. */
  readonly lastSeen: string;
  readonly cliVersions: readonly string[];
  readonly sessions: number;
  /** Events waiting in its outbox for the broker, and events it had to drop at the bound. */
  readonly outboxPending: number;
  readonly outboxDropped: number;
}

export interface Health {
  /**
   * `offline` runs against the embedded scripted model; `live` against the Copilot service; `fleet`
   * watches the hosts of a NATS fleet (then `cli` is the broker connection's state).
   */
  readonly mode: 'offline' | 'live' | 'fleet';
  /** The connection's state: starting, connected, stopping, stopped, closed (fleet: connected, reconnecting, closed). */
  readonly cli: string;
  readonly cliPid: number | null;
  /** Fleet mode: the NATS server the dashboard is connected to. */
  readonly broker: string | null;
  readonly cliVersion: string | null;
  /** Why the connection closed, when it did. */
  readonly cliError: string | null;
  readonly decodeFailures: number;
  readonly duplicatesDropped: number;
  /** Answers (permission, tool result) that could not be delivered to the CLI. */
  readonly answerFailures: number;
}

export interface DashboardState {
  readonly sessions: readonly SessionView[];
  /** Fleet mode: every host that published health, sorted by name; empty otherwise. */
  readonly hosts: readonly HostView[];
  readonly health: Health;
}

export const emptyRow = (model: string): SessionRow => ({
  activity: 'starting',
  model,
  turns: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  cost: 0,
  ttftMs: null,
  tokensPerSecond: null,
  toolsInProgress: [],
  error: null,
});
