/**
 * One run against the real Copilot CLI (the pinned @github/copilot binary, spawned over stdio in a
 * fresh sandbox), streaming from the scripted model endpoint the harness started (route B: a BYOK
 * provider in session.create). `client` picks copilot-rx or the official SDK; both get the same
 * binary, arguments, environment and session options. Measures:
 *   spawn → first delta   from constructing the client (which spawns the CLI) to the first message delta
 *   send → first delta    a later turn, from sending to its first message delta
 *   5,000-chunk turn      message deltas/s from the first delta to the last, and send → session.idle
 */
import { CopilotRxClient } from '@copilot-rx/core';
import { createCliSandbox } from '@copilot-rx/testing';
import { CopilotClient, RuntimeConnection, approveAll } from '@github/copilot-sdk';

const { client: which, provider, chunks = 5000 } = JSON.parse(process.argv[2]);
const sessionOptions = {
  streaming: true,
  model: 'claude-sonnet-4.5',
  provider,
  systemMessage: { mode: 'replace', content: 'You are a test assistant.' },
  availableTools: [],
};

/** Tracks the current turn's deltas and its end, whatever the client. */
class Turn {
  deltas = 0;
  first = 0;
  last = 0;
  #idle = () => undefined;
  #firstDelta = () => undefined;
  idle = Promise.resolve();
  firstDelta = Promise.resolve();

  start() {
    this.deltas = 0;
    this.idle = new Promise((resolve) => (this.#idle = resolve));
    this.firstDelta = new Promise((resolve) => (this.#firstDelta = resolve));
  }

  onEvent = (event) => {
    if (event.type === 'assistant.message_delta') {
      const now = performance.now();
      if (this.deltas++ === 0) {
        this.first = now;
        this.#firstDelta();
      }
      this.last = now;
    } else if (event.type === 'session.idle') {
      this.#idle();
    } else if (event.type === 'session.error') {
      this.#idle();
    }
  };
}

const drivers = {
  async rx(sandbox, turn) {
    const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' });
    await client.start();
    const session = await client.createSession(sessionOptions);
    session.events$.subscribe(turn.onEvent);
    return { send: (prompt) => client.request('session.send', { sessionId: session.id, prompt }), stop: () => client.stop() };
  },
  async sdk(sandbox, turn) {
    const client = new CopilotClient({
      connection: RuntimeConnection.forStdio({ path: sandbox.cliPath, env: sandbox.env }),
      workingDirectory: sandbox.cwd,
      logLevel: 'error',
    });
    await client.start();
    const session = await client.createSession({ ...sessionOptions, onPermissionRequest: approveAll });
    session.on(turn.onEvent);
    return { send: (prompt) => session.send({ prompt }), stop: () => client.stop() };
  },
};

try {
  const sandbox = await createCliSandbox();
  const turn = new Turn();
  turn.start();
  const t0 = performance.now();
  const driver = await drivers[which](sandbox, turn);
  await driver.send('Say hello [[chunks 20]]');
  await turn.firstDelta;
  const spawnToFirstDeltaMs = turn.first - t0;
  await turn.idle;

  turn.start();
  const t1 = performance.now();
  await driver.send('Again [[chunks 20]]');
  await turn.firstDelta;
  const sendToFirstDeltaMs = turn.first - t1;
  await turn.idle;

  turn.start();
  const t2 = performance.now();
  await driver.send(`Stream [[chunks ${chunks}]]`);
  await turn.idle;
  const result = {
    spawnToFirstDeltaMs,
    sendToFirstDeltaMs,
    floodDeltas: turn.deltas,
    deltasPerSec: (turn.deltas - 1) / ((turn.last - turn.first) / 1000),
    sendToIdleMs: performance.now() - t2,
  };
  await Promise.race([driver.stop(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  await sandbox.dispose();
  process.send({ type: 'result', result });
} catch (error) {
  process.send({ type: 'error', error: String(error?.stack ?? error) });
}
process.disconnect();
setTimeout(() => process.exit(0), 100).unref();
