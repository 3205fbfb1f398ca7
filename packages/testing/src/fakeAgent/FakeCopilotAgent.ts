/**
 * A protocol-faithful stand-in for the Copilot CLI's JSON-RPC server (`copilot --headless`), for
 * tests: it speaks the wire protocol of CLI 1.0.102 (framing, handshake and tokens, sessions,
 * `session.event` with consistent envelopes, broadcast permission and tool requests) and plays a
 * script instead of calling a model.
 */
import { randomUUID } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { TransportCloseInfo } from '@copilot-rx/core';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { WireSessionEvent } from '../marbles/eventStamper.js';
import { AgentConnection } from './AgentConnection.js';
import type { AgentState } from './methods/MethodContext.js';
import type { AgentContext } from './session/AgentContext.js';
import type { FakeSession } from './session/FakeSession.js';
import { inMemoryPipes, type InMemoryConnection } from './transports/inMemory.js';
import { listenTcp, type FakeAgentServer } from './transports/tcp.js';
import { scriptFromPrompt } from './turns/promptDirectives.js';
import type { CrashExit } from './turns/TurnHost.js';
import type { ScriptChooser, TurnScript } from './turns/TurnScript.js';

export interface FakeCopilotAgentOptions {
  /**
   * Chooses the script of each message that finds the queue (`enqueue`) empty.
   * Default: `scriptFromPrompt`, which reads markers such as `[[tool NAME {json}]]` in the prompt.
   */
  readonly script?: ScriptChooser;
  /**
   * The clock of every pause and timestamp. Default `asyncScheduler` (real time). Pass a
   * `VirtualTimeScheduler` (or `TestScheduler`) and call its `flush()` to run paced scripts instantly.
   */
  readonly scheduler?: SchedulerLike;
  /** Require `connect {token}` with this token first, as a CLI started with COPILOT_CONNECTION_TOKEN does. */
  readonly connectionToken?: string;
  /** The version `connect` reports. Default "1.0.102", the CLI of the recorded transcripts. */
  readonly version?: string;
  /** The model sessions use when `session.create` names none. Default "claude-sonnet-4.5". */
  readonly model?: string;
  /** The working directory sessions report. Default "/workspace". */
  readonly cwd?: string;
  /** The data directory in `workspacePath`s. Default "/home/user/.copilot". */
  readonly copilotHome?: string;
  /** Send `session.lifecycle session.updated` after each persisted event, as the CLI does. Default true. */
  readonly lifecycleUpdates?: boolean;
  /** Makes ids (event ids, request ids, message ids). Default `randomUUID`. */
  readonly ids?: () => string;
  /** How many delivered events each session keeps for scripted re-sends. Default 10 000. */
  readonly resendWindow?: number;
}

/** How the fake agent ended. */
export interface FakeAgentExit {
  /** 0 after `close()`; the scripted code after a crash. */
  readonly exitCode: number;
  /** What the agent "wrote to stderr" ('' unless it crashed). */
  readonly stderr: string;
}

export class FakeCopilotAgent {
  readonly #state: AgentState;
  readonly #token: string | undefined;
  readonly #chooser: ScriptChooser;
  readonly #queue: TurnScript[] = [];
  readonly #connections = new Set<AgentConnection>();
  readonly #servers = new Set<FakeAgentServer>();
  #exit: FakeAgentExit | undefined;
  #resolveExited!: (exit: FakeAgentExit) => void;
  /** Resolves once, when the agent crashes (scripted) or is closed. */
  readonly exited = new Promise<FakeAgentExit>((resolve) => (this.#resolveExited = resolve));

  constructor(options: FakeCopilotAgentOptions = {}) {
    this.#token = options.connectionToken;
    this.#chooser = options.script ?? scriptFromPrompt;
    const context: AgentContext = {
      scheduler: options.scheduler ?? asyncScheduler,
      newId: options.ids ?? randomUUID,
      version: options.version ?? '1.0.102',
      cwd: options.cwd ?? '/workspace',
      copilotHome: options.copilotHome ?? '/home/user/.copilot',
      defaultModel: options.model ?? 'claude-sonnet-4.5',
      lifecycleUpdates: options.lifecycleUpdates ?? true,
      resendWindow: options.resendWindow ?? 10_000,
      broadcastLifecycle: (params) => {
        for (const connection of this.#connections) if (connection.authenticated) connection.notify('session.lifecycle', params);
      },
      chooseScript: (prompt, scriptContext) => this.#queue.shift() ?? this.#chooser(prompt, scriptContext),
      crash: (exit) => this.crash(exit),
    };
    this.#state = { context, sessions: new Map() };
  }

  /** Scripts for the next messages, in order, whatever their prompts; the chooser takes over when they run out. */
  enqueue(...scripts: readonly TurnScript[]): this {
    this.#queue.push(...scripts);
    return this;
  }

  /** A new client connection over in-memory streams (e.g. for core's `streamTransport`). */
  connectInMemory(): InMemoryConnection {
    const { client, agent } = inMemoryPipes();
    const connection = this.serve(agent.readable, agent.writable, agent.terminate);
    const closed = connection.closed.then((): TransportCloseInfo => {
      const exit = this.#exit;
      if (exit === undefined) return { reason: 'the connection ended', exitCode: null, signal: null };
      return { reason: exit.exitCode === 0 ? 'the fake agent closed' : 'the fake agent crashed', exitCode: exit.exitCode, signal: null };
    });
    return { ...client, closed };
  }

  /** Listens on 127.0.0.1 (`port` 0, the default, picks a free one); every client gets its own connection. */
  async listen(options: { readonly port?: number } = {}): Promise<FakeAgentServer> {
    this.#assertAlive();
    const server = await listenTcp(options.port ?? 0, (socket) => {
      if (this.#exit !== undefined) {
        socket.destroy();
        return;
      }
      this.serve(socket, socket, () => socket.destroy());
    });
    this.#servers.add(server);
    return {
      host: server.host,
      port: server.port,
      close: async () => {
        if (this.#servers.delete(server)) await server.close();
      },
    };
  }

  /** Serves one client over any pair of streams (the bin uses stdin/stdout). `terminate` cuts it off on a crash. */
  serve(readable: Readable, writable: Writable, terminate: () => void = () => writable.end()): AgentConnection {
    this.#assertAlive();
    const connection = new AgentConnection(readable, writable, {
      agent: this.#state,
      token: this.#token,
      terminate,
      onClose: (closed) => {
        this.#connections.delete(closed);
        for (const session of this.#state.sessions.values()) session.detach(closed);
      },
    });
    this.#connections.add(connection);
    return connection;
  }

  /** The session's persisted history (what `session.getMessages` returns), or undefined for an unknown id. */
  history(sessionId: string): readonly WireSessionEvent[] | undefined {
    return this.#session(sessionId)?.persisted;
  }

  /** The ids of the sessions the agent knows, loaded or not. */
  get sessionIds(): readonly string[] {
    return [...this.#state.sessions.keys()];
  }

  /** What the agent "wrote to stderr". */
  get stderr(): string {
    return this.#exit?.stderr ?? '';
  }

  /**
   * Dies like a crashing CLI: every connection ends mid-stream with nothing more sent, servers stop,
   * and `exited` resolves with the code and stderr (the bin then writes the line and exits).
   */
  crash(exit: Partial<CrashExit> = {}): void {
    // A dead process's port is gone at once; nobody waits for it.
    void this.#end({ exitCode: exit.exitCode ?? 1, stderr: exit.stderr ?? '' }, (connection) => connection.terminate());
  }

  /** Stops politely: ends every connection and server. */
  async close(): Promise<void> {
    await this.#end({ exitCode: 0, stderr: '' }, (connection) => connection.end());
  }

  /** Ends everything once; resolves when the servers have stopped. */
  async #end(exit: FakeAgentExit, endConnection: (connection: AgentConnection) => void): Promise<void> {
    if (this.#exit !== undefined) return;
    this.#exit = exit;
    for (const session of this.#state.sessions.values()) session.halt();
    for (const connection of [...this.#connections]) endConnection(connection);
    const servers = [...this.#servers];
    this.#servers.clear();
    this.#resolveExited(exit);
    await Promise.all(servers.map((server) => server.close()));
  }

  #session(sessionId: string): FakeSession | undefined {
    return this.#state.sessions.get(sessionId);
  }

  #assertAlive(): void {
    if (this.#exit !== undefined) throw new Error(`The fake agent has exited (code ${this.#exit.exitCode}); create a new one`);
  }
}
