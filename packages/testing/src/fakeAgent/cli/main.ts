/**
 * The `copilot-rx-fake-agent` process: the fake agent behind the real CLI's command line, so an app
 * (or the official SDK) can launch it as its `cliPath`. Over stdio it speaks on stdin/stdout; over TCP
 * it prints "CLI server listening on port N" as CLI 1.0.x does. A connection token comes from
 * COPILOT_CONNECTION_TOKEN, as for the CLI, and is never printed.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { FakeCopilotAgent, type FakeCopilotAgentOptions } from '../FakeCopilotAgent.js';
import type { ScriptChooser, TurnScript } from '../turns/TurnScript.js';
import { ArgvError, parseAgentArgs } from './argv.js';

/** The process around the agent; replaceable for tests. */
export interface ProcessIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly exit: (code: number) => void;
  readonly onSignal: (signal: NodeJS.Signals, handler: () => void) => void;
}

const defaultIo: ProcessIo = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (code) => process.exit(code),
  onSignal: (signal, handler) => void process.once(signal, handler),
};

/** Runs the fake agent until it is told to stop, crashes (scripted), or loses its stdio client. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, io: ProcessIo = defaultIo): Promise<void> {
  let agent: FakeCopilotAgent;
  let mode: 'stdio' | 'tcp';
  let port: number;
  try {
    const args = parseAgentArgs(argv);
    ({ mode, port } = args);
    const token = env['COPILOT_CONNECTION_TOKEN'];
    const scriptPath = args.script ?? env['COPILOT_RX_FAKE_AGENT_SCRIPT'];
    agent = new FakeCopilotAgent({
      ...(token ? { connectionToken: token } : {}),
      ...(scriptPath ? scriptOptions(scriptPath) : {}),
    });
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    io.exit(1);
    return;
  }

  void agent.exited.then((exit) => {
    if (exit.stderr !== '') io.stderr.write(`${exit.stderr}\n`);
    // Let what the agent already wrote reach the client before the process goes.
    io.stdout.write('', () => io.exit(exit.exitCode));
  });
  const stop = () => void agent.close();
  io.onSignal('SIGTERM', stop);
  io.onSignal('SIGINT', stop);

  if (mode === 'stdio') {
    // A crash leaves stdout to the process exit; nothing more is written after it.
    const connection = agent.serve(io.stdin, io.stdout, () => undefined);
    void connection.closed.then(stop);
    return;
  }
  const server = await agent.listen({ port });
  io.stdout.write(`CLI server listening on port ${server.port}\n`);
}

/**
 * A script module: CommonJS or JSON whose export (or `default` export) is a chooser function
 * `(prompt, context) => TurnScript`, an array of TurnScripts played in order, or one TurnScript for
 * every message.
 */
function scriptOptions(file: string): Pick<FakeCopilotAgentOptions, 'script'> {
  const absolute = path.resolve(file);
  // A require bound to the script itself: this module is also built as an ES module, where there is
  // no `require`, and a script module is CommonJS or JSON (loaded synchronously, as options are).
  const loaded: unknown = createRequire(absolute)(absolute);
  const value = typeof loaded === 'object' && loaded !== null && 'default' in loaded ? (loaded as { default: unknown }).default : loaded;
  if (typeof value === 'function') return { script: value as ScriptChooser };
  if (Array.isArray(value)) {
    const queue = [...(value as TurnScript[])];
    return { script: (prompt, context) => queue.shift() ?? fail(file, `ran out of scripts at message ${context.messageIndex + 1} ("${prompt}")`) };
  }
  if (typeof value === 'object' && value !== null && Array.isArray((value as { calls?: unknown }).calls)) {
    return { script: () => value as TurnScript };
  }
  throw new ArgvError(`error: script module ${file} must export a function, an array of turn scripts or one turn script`);
}

function fail(file: string, reason: string): never {
  throw new Error(`script module ${file} ${reason}`);
}
