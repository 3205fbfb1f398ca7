import type { Observable, SchedulerLike } from 'rxjs';
import type { CrashExit } from '../turns/TurnHost.js';
import type { ScriptContext, TurnScript } from '../turns/TurnScript.js';

/** Where a session's notifications go: one client connection. */
export interface EventSink {
  notify(method: string, params: object): void;
  /** Sends the client a request (`hooks.invoke`); a sink that cannot (a test's) leaves it out. */
  request?(method: string, params: object): Observable<unknown>;
}

/** What sessions need from the agent that owns them. */
export interface AgentContext {
  readonly scheduler: SchedulerLike;
  readonly newId: () => string;
  /** The CLI version `connect` reports and `session.start` carries. */
  readonly version: string;
  /** The working directory sessions report when the client gives none. */
  readonly cwd: string;
  /** The data directory; sessions live under `<copilotHome>/session-state/<id>`. */
  readonly copilotHome: string;
  readonly defaultModel: string;
  /** Send `session.lifecycle session.updated` after each persisted event, as the CLI does. */
  readonly lifecycleUpdates: boolean;
  /** How many delivered events a session keeps for scripted re-sends. */
  readonly resendWindow: number;
  /** Sends a `session.lifecycle` notification to every client (the CLI applies no session filter). */
  broadcastLifecycle(params: object): void;
  chooseScript(prompt: string, context: ScriptContext): TurnScript;
  crash(exit: CrashExit): void;
}
