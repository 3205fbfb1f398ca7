/**
 * One session of the fake agent: its configuration per attachment, its event history, the
 * connections that receive its events, the requests waiting for an answer, and its message runner.
 */
import { Observable, catchError, defer, map, of } from 'rxjs';
import { EventStamper, type WireSessionEvent } from '../../marbles/eventStamper.js';
import type { Params } from '../rpc/params.js';
import type { CrashExit, DeclaredTool, TurnHost } from '../turns/TurnHost.js';
import { TurnRunner } from '../turns/TurnRunner.js';
import type { AgentContext, EventSink } from './AgentContext.js';
import { EventLog } from './eventLog.js';
import { PendingRequests, type HandlerOutcome, type PendingKind } from './pendingRequests.js';

/** What a `session.create` / `session.resume` sets for the connection that sent it. */
export interface AttachConfig {
  readonly model?: string;
  readonly streaming: boolean;
  readonly requestPermission: boolean;
  readonly requestElicitation?: boolean;
  /** `hooks: true`: this attachment's client answers `hooks.invoke`. */
  readonly hooks?: boolean;
  readonly workingDirectory?: string;
  readonly tools: readonly DeclaredTool[];
}

export class FakeSession implements TurnHost {
  readonly #context: AgentContext;
  readonly #stamper: EventStamper;
  readonly #persisted: WireSessionEvent[] = [];
  readonly #delivered: WireSessionEvent[] = [];
  readonly #sinks = new Set<EventSink>();
  /** Tools belong to the connection that declared them (protocol.md §3.1). */
  readonly #tools = new Map<string, { readonly tool: DeclaredTool; readonly owner: EventSink }>();
  readonly #pending = new PendingRequests();
  /** The data of each `permission.requested`, by requestId, to re-emit it for a resume that continues pending work. */
  readonly #promptData = new Map<string, object>();
  readonly #runner: TurnRunner;
  /** What `session.eventLog.read` serves: persisted events for good, ephemeral ones in a ring. */
  readonly eventLog: EventLog;
  #config: AttachConfig = { streaming: false, requestPermission: false, tools: [] };
  /** The attachment whose client installed hooks, if any. */
  #hooksSink: EventSink | undefined;
  #model: string;
  #loaded = true;
  #toolCalls = 0;
  #apiCalls = 0;
  #messages = 0;

  readonly startTime: string;

  constructor(
    readonly sessionId: string,
    context: AgentContext,
  ) {
    this.#context = context;
    this.#stamper = new EventStamper({ ids: context.newId, now: () => context.scheduler.now() });
    this.#runner = new TurnRunner(this);
    this.eventLog = new EventLog(context.resendWindow);
    this.#model = context.defaultModel;
    this.startTime = new Date(context.scheduler.now()).toISOString();
  }

  get model(): string {
    return this.#model;
  }
  get cwd(): string {
    return this.#config.workingDirectory ?? this.#context.cwd;
  }
  get streaming(): boolean {
    return this.#config.streaming;
  }
  get requestPermission(): boolean {
    return this.#config.requestPermission;
  }
  get requestElicitation(): boolean {
    return this.#config.requestElicitation === true;
  }
  get scheduler() {
    return this.#context.scheduler;
  }
  get workspacePath(): string {
    return `${this.#context.copilotHome}/session-state/${this.sessionId}`;
  }
  /** False after `session.destroy` until a `session.resume` loads it again. */
  get loaded(): boolean {
    return this.#loaded;
  }
  get busy(): boolean {
    return this.#runner.busy;
  }
  /** The persisted history, as `session.getMessages` returns it. */
  get persisted(): readonly WireSessionEvent[] {
    return this.#persisted;
  }

  /** Attaches a connection: it receives the events from now on, and its tools join the session. */
  attach(sink: EventSink, config: AttachConfig): void {
    // Loaded again from disk: only what was persisted is left to read.
    if (!this.#loaded) this.eventLog.dropEphemeral();
    this.#loaded = true;
    this.#config = config;
    if (config.model !== undefined) this.#model = config.model;
    this.#sinks.add(sink);
    if (config.hooks === true) this.#hooksSink = sink;
    else if (this.#hooksSink === sink) this.#hooksSink = undefined;
    for (const [name, entry] of this.#tools) if (entry.owner === sink) this.#tools.delete(name);
    for (const tool of config.tools) this.#tools.set(tool.name, { tool, owner: sink });
  }

  /**
   * A connection went away: it gets nothing more, and its tools leave the session. When it was the
   * session's only attachment, the session shuts down at once and its turn stops, as the CLI's does
   * (measured on 1.0.102: `session.shutdown` is the next persisted event).
   */
  detach(sink: EventSink): void {
    if (!this.#sinks.delete(sink)) return;
    if (this.#hooksSink === sink) this.#hooksSink = undefined;
    for (const [name, entry] of this.#tools) if (entry.owner === sink) this.#tools.delete(name);
    if (this.#sinks.size === 0 && this.#loaded) this.shutdown();
  }

  emit(type: string, data: object): WireSessionEvent {
    const event = this.#stamper.stamp(type, data);
    if (event.ephemeral !== true) this.#persisted.push(event);
    this.eventLog.append(event);
    const requestId = (data as { requestId?: unknown }).requestId;
    if (type === 'permission.requested' && typeof requestId === 'string') this.#promptData.set(requestId, data);
    this.#deliver(event);
    if (event.ephemeral !== true && this.#context.lifecycleUpdates) this.lifecycle('session.updated');
    return event;
  }

  resend(count: number): void {
    for (const event of this.#delivered.slice(-count)) this.#deliverTo(event);
  }

  /** Sends `session.lifecycle {type}` for this session to every client. */
  lifecycle(type: string): void {
    const metadata = type === 'session.deleted' ? {} : { metadata: { startTime: this.startTime, modifiedTime: new Date(this.scheduler.now()).toISOString() } };
    this.#context.broadcastLifecycle({ type, sessionId: this.sessionId, ...metadata });
  }

  tool(name: string): DeclaredTool | undefined {
    return this.#tools.get(name)?.tool;
  }
  get toolNames(): readonly string[] {
    return [...this.#tools.keys()];
  }
  newId(): string {
    return this.#context.newId();
  }
  nextToolCallId(): string {
    return `call_fake_${++this.#toolCalls}`;
  }
  nextApiCallId(): string {
    return `chatcmpl-fake-${++this.#apiCalls}`;
  }

  waitForAnswer<T>(kind: PendingKind, requestId: string, onAnswer: (params: Params) => T): Observable<T> {
    return new Observable<T>((subscriber) => {
      this.#pending.add(kind, requestId, (params) => {
        const value = onAnswer(params);
        return () => {
          subscriber.next(value);
          subscriber.complete();
        };
      });
      return () => this.#pending.remove(requestId);
    });
  }

  invokeHook(hookType: string, input: object): Observable<unknown> {
    return defer(() => {
      const request = this.#hooksSink?.request?.bind(this.#hooksSink);
      if (request === undefined) return of(undefined);
      const hookInvocationId = this.newId();
      const fullInput = {
        sessionId: this.sessionId,
        timestamp: this.#context.scheduler.now(),
        cwd: this.cwd,
        // Where the CLI keeps the session's event log: agentStop names it.
        ...(hookType === 'agentStop' && { transcriptPath: `${this.workspacePath}/events.jsonl` }),
        ...input,
      };
      this.emit('hook.start', { hookInvocationId, hookType, input: fullInput });
      return request('hooks.invoke', { sessionId: this.sessionId, hookType, input: fullInput }).pipe(
        map((result) => (result as { output?: unknown } | null)?.output ?? undefined),
        map((output) => ({ output, success: true })),
        // A client that fails to answer leaves the agent going on unchanged, as the CLI does.
        catchError(() => of({ output: undefined, success: false })),
        map(({ output, success }) => {
          this.emit('hook.end', { hookInvocationId, hookType, success });
          return output;
        }),
      );
    });
  }

  answer(kind: PendingKind, requestId: string, params: Params): HandlerOutcome {
    const outcome = this.#pending.answer(kind, requestId, params);
    if (kind === 'permission' && !this.#pending.waiting('permission').includes(requestId)) this.#promptData.delete(requestId);
    return outcome;
  }

  /**
   * `session.resume {continuePendingWork: true}`: the permission prompts still waiting are emitted
   * again (new event ids, the same requestIds), so the new attachment can answer them. A pending tool
   * call is not re-emitted: it is answered by its old requestId (protocol.md, "Reconnect and resume").
   */
  reemitPendingPrompts(): void {
    for (const requestId of this.#pending.waiting('permission')) {
      const data = this.#promptData.get(requestId);
      if (data !== undefined) this.emit('permission.requested', data);
    }
  }

  crash(exit: CrashExit): void {
    this.#context.crash(exit);
  }

  /** `session.send`: picks the script now (so a broken script fails the request), queues the message after the answer. */
  send(prompt: string): HandlerOutcome {
    const script = this.#context.chooseScript(prompt, { sessionId: this.sessionId, messageIndex: this.#messages, tools: this.toolNames });
    this.#messages += 1;
    const messageId = this.newId();
    this.emit('pending_messages.modified', {});
    return { result: { messageId }, then: () => this.#runner.accept({ prompt, messageId, script }) };
  }

  abort(): HandlerOutcome {
    return this.#runner.abort();
  }

  /** `session.destroy`: stops work, emits `session.shutdown`, forgets the connections. Keeps history. */
  shutdown(): void {
    this.#runner.stop();
    this.emit('session.shutdown', {
      shutdownType: 'routine',
      totalPremiumRequests: this.#apiCalls,
      totalNanoAiu: 0,
      totalApiDurationMs: 0,
      sessionStartTime: Date.parse(this.startTime),
      codeChanges: { linesAdded: 0, linesRemoved: 0, filesModified: [] },
      modelMetrics: {},
    });
    this.#loaded = false;
    this.#sinks.clear();
    this.#tools.clear();
  }

  /** The agent died: nothing more happens in this session. */
  halt(): void {
    this.#runner.stop();
    this.#sinks.clear();
  }

  #deliver(event: WireSessionEvent): void {
    this.#delivered.push(event);
    if (this.#delivered.length > this.#context.resendWindow) this.#delivered.shift();
    this.#deliverTo(event);
  }

  #deliverTo(event: WireSessionEvent): void {
    for (const sink of this.#sinks) sink.notify('session.event', { sessionId: this.sessionId, event });
  }
}
