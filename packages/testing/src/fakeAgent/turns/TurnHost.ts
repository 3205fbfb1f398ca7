import type { Observable, SchedulerLike } from 'rxjs';
import type { WireSessionEvent } from '../../marbles/eventStamper.js';
import type { Params } from '../rpc/params.js';
import type { PendingKind } from '../session/pendingRequests.js';
import type { ToolOutcome, TurnScript } from './TurnScript.js';

/** A tool the client declared in `session.create` / `session.resume`. */
export interface DeclaredTool {
  readonly name: string;
  readonly description?: string;
  /** Declared with `skipPermission: true`: no permission prompt before the call. */
  readonly skipPermission: boolean;
}

/** How the agent "exits" when a script crashes it. */
export interface CrashExit {
  readonly exitCode: number;
  readonly stderr: string;
}

/** What running a turn needs from its session; the session implements it. */
export interface TurnHost {
  readonly sessionId: string;
  readonly model: string;
  readonly cwd: string;
  /** The session was created with `streaming: true` (deltas are sent). */
  readonly streaming: boolean;
  /** The session was created with `requestPermission: true` (prompts are sent, not denied). */
  readonly requestPermission: boolean;
  /** The session was created with `requestElicitation: true` (forms are sent to the client). */
  readonly requestElicitation: boolean;
  readonly scheduler: SchedulerLike;
  /** Stamps and delivers one event to every connection attached to the session. */
  emit(type: string, data: object): WireSessionEvent;
  /** Re-delivers the last `count` delivered events unchanged (same ids), as a lagging CLI does. */
  resend(count: number): void;
  tool(name: string): DeclaredTool | undefined;
  /** A fresh UUID (request ids, message ids). */
  newId(): string;
  /** `call_fake_<n>`, counting per session. */
  nextToolCallId(): string;
  /** `chatcmpl-fake-<n>`, counting per session. */
  nextApiCallId(): string;
  /**
   * Registers a pending request answered by a `handlePending*` call. `onAnswer` validates the answer
   * and emits the completion event before the RPC's response; the Observable emits its value (and
   * the script continues) right after the response. Unsubscribing cancels the request.
   */
  waitForAnswer<T>(kind: PendingKind, requestId: string, onAnswer: (params: Params) => T): Observable<T>;
  crash(exit: CrashExit): void;
  /**
   * Calls a hook of the client that attached with `hooks: true` (`hooks.invoke`), between `hook.start`
   * and `hook.end` events as the CLI does; emits the hook's `output` (undefined for none, for a
   * session without hooks, or when the client failed to answer), then completes.
   */
  invokeHook(hookType: string, input: object): Observable<unknown>;
}

/** The running state of one user message's agent loop; read by abort to report what it interrupted. */
export class TurnRun {
  #nextTurnId = 0;
  /** The turnId of the model call in progress (between turn_start and turn_end). */
  openTurnId: string | undefined;
  /** How many model calls started, for `assistant.usage.initiator` ('user' first, then 'agent'). */
  modelCalls = 0;
  /** Tools between `tool.execution_start` and `tool.execution_complete`, by toolCallId. */
  readonly runningTools = new Map<string, string>();
  readonly toolOutcomes: ToolOutcome[] = [];

  constructor(
    readonly prompt: string,
    readonly interactionId: string,
    readonly script: TurnScript,
    readonly startedAt: number,
  ) {}

  /** turnIds are string counters restarting at "0" for each user message (protocol.md §0.8). */
  nextTurnId(): string {
    return String(this.#nextTurnId++);
  }
}
