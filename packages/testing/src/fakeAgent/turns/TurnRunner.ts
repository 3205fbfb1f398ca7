/**
 * A session's message processing: the queue of sent messages, the preamble the CLI emits before each
 * agent loop, the idle events after the last one, and abort (protocol.md §5.4, transcripts
 * raw-capi-plain and raw-capi-abort).
 */
import { concat, EMPTY, ignoreElements, Subscription, type Observable } from 'rxjs';
import type { HandlerOutcome } from '../session/pendingRequests.js';
import { agentLoop } from './agentLoop.js';
import { act } from './steps.js';
import { TurnRun, type TurnHost } from './TurnHost.js';
import type { TurnScript } from './TurnScript.js';

/** A `session.send` waiting for (or in) processing. */
export interface QueuedMessage {
  readonly prompt: string;
  /** The id `session.send` answered with; 1.0.102 repeats it in `user.message`. */
  readonly messageId: string;
  readonly script: TurnScript;
}

const SYSTEM_PROMPT = 'You are the fake GitHub Copilot agent of @copilot-rx/testing. You answer from a script.';

export class TurnRunner {
  readonly #host: TurnHost;
  #queue: QueuedMessage[] = [];
  #current: { readonly run: TurnRun; readonly subscription: Subscription } | undefined;
  /** An aborted loop's `session.idle {aborted:true}`, held back until the next send is answered. */
  #staleIdle = false;
  #messagesStarted = 0;

  constructor(host: TurnHost) {
    this.#host = host;
  }

  /** True while a loop runs or messages wait. */
  get busy(): boolean {
    return this.#current !== undefined || this.#queue.length > 0;
  }

  /** Queues a message; call right after answering its `session.send`. */
  accept(message: QueuedMessage): void {
    if (this.#staleIdle) {
      this.#staleIdle = false;
      this.#host.emit('session.idle', { aborted: true, mode: 'interactive' });
    }
    this.#queue.push(message);
    if (this.#current === undefined) this.#startNext('idle');
  }

  /**
   * `session.abort`: stops the loop where it is. Running tools get no `tool.execution_complete`
   * (`agent.interrupted` lists them), pending prompts are cancelled, queued messages dropped.
   */
  abort(): HandlerOutcome {
    const current = this.#current;
    if (current === undefined) return { result: { success: true } };
    this.#current = undefined;
    this.#queue = [];
    current.subscription.unsubscribe();
    const { run } = current;
    const host = this.#host;
    host.emit('abort', { reason: 'user_initiated' });
    host.emit('pending_messages.modified', {});
    const turn = Number(run.openTurnId ?? run.nextTurnId());
    const elapsedMs = host.scheduler.now() - run.startedAt;
    host.emit(
      'agent.interrupted',
      run.runningTools.size > 0
        ? { activity: 'tool_call', turn, elapsedMs, toolCallIds: [...run.runningTools.keys()], toolNames: [...run.runningTools.values()], safeToolNames: [] }
        : { activity: 'model_call', turn, elapsedMs, model: host.model, apiEndpoint: '/chat/completions', transport: 'http', cancelPhase: 'mid_stream' },
    );
    if (run.openTurnId !== undefined) host.emit('assistant.turn_end', { turnId: run.openTurnId });
    return {
      result: { success: true },
      then: () => {
        host.emit('session.background_tasks_changed', {});
        host.emit('pending_messages.modified', {});
        host.emit('assistant.idle', { aborted: true });
        const idle = run.script.idleAfterAbort ?? 'immediate';
        if (idle === 'immediate') host.emit('session.idle', { aborted: true, mode: 'interactive' });
        else if (idle === 'stale') this.#staleIdle = true;
        // 'merged': the next message's session.idle is the only one.
      },
    };
  }

  /** Stops everything without a word (destroy, crash). */
  stop(): void {
    this.#queue = [];
    this.#staleIdle = false;
    const current = this.#current;
    this.#current = undefined;
    current?.subscription.unsubscribe();
  }

  #startNext(delivery: 'idle' | 'queued'): void {
    const message = this.#queue.shift();
    if (message === undefined) return;
    const host = this.#host;
    const run = new TurnRun(message.prompt, host.newId(), message.script, host.scheduler.now());
    const subscription = new Subscription();
    // Set before subscribing: an unpaced loop completes inside subscribe().
    this.#current = { run, subscription };
    const first = this.#messagesStarted === 0;
    subscription.add(
      // Hooks as CLI 1.0.102 calls them (fixtures/transcripts/cli-1.0.102/parity): sessionStart on the
      // first message, the prompt hooks before user.message, agentStop when the loop ends. Without a
      // client with hooks they are empty and synchronous, so the preamble goes out at once as before.
      concat(
        first ? hook(host, 'sessionStart', { source: 'new', initialPrompt: message.prompt }) : EMPTY,
        hook(host, 'userPromptSubmitted', { prompt: message.prompt }),
        hook(host, 'userPromptTransformed', { prompt: message.prompt, transformedPrompt: message.prompt }),
        act(() => this.#emitPreamble(message, run, delivery)),
        agentLoop(host, run),
        hook(host, 'agentStop', { stopReason: 'end_turn', stop_hook_active: false }),
      ).subscribe({
        complete: () => this.#loopEnded(run),
        error: (error: unknown) => {
          // A bug in a test's script must be loud, not a session that never goes idle.
          host.emit('session.error', { errorType: 'fake_agent_script', message: `The fake agent's turn script failed: ${errorMessage(error)}` });
          this.#loopEnded(run);
        },
      }),
    );
  }

  #emitPreamble(message: QueuedMessage, run: TurnRun, delivery: 'idle' | 'queued'): void {
    const host = this.#host;
    host.emit('pending_messages.modified', {});
    if (this.#messagesStarted++ === 0) {
      host.emit('session.title_changed', { title: message.prompt });
      host.emit('session.tools_updated', { model: host.model });
    }
    host.emit('user.message', {
      content: message.prompt,
      transformedContent: `<current_datetime>${new Date(host.scheduler.now()).toISOString()}</current_datetime>\n\n${message.prompt}`,
      messageId: message.messageId,
      supportedNativeDocumentMimeTypes: [],
      delivery,
      interactionId: run.interactionId,
      turnId: '0',
    });
    host.emit('system.message', { role: 'system', content: SYSTEM_PROMPT, interactionId: run.interactionId });
  }

  #loopEnded(run: TurnRun): void {
    if (this.#current?.run !== run) return; // aborted or stopped meanwhile
    this.#current = undefined;
    if (this.#queue.length > 0) {
      this.#startNext('queued');
      return;
    }
    this.#host.emit('assistant.idle', {});
    this.#host.emit('session.idle', { mode: 'interactive' });
  }
}

/** Calls a hook and waits for its answer; the fake acts on no output of these. */
function hook(host: TurnHost, hookType: string, input: object): Observable<never> {
  return host.invokeHook(hookType, input).pipe(ignoreElements());
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
