/**
 * One run of the concurrency curve: `sessions` sessions on ONE agent process (the CLI binary or the
 * official SDK's bundled runtime, in a fresh sandbox), all created at once, then one streamed turn on
 * every session, all sent at once. `client` picks copilot-rx or the official SDK; both get the same
 * binary, arguments, environment and session options. Measures:
 *   create      from the first session.create to the last answer
 *   turns       from the first send to the last turn's end (or the cap: then `timedOut` and how many ended)
 *   agent       CPU (seconds, summed over its process tree) during the turns, and its peak RSS
 *   client      this process's peak heap
 *   correctness every turn ended once, and its streamed text equals its final assistant.message
 * With `maxConcurrentTurns` (copilot-rx only), the client's turn queue bounds how many run at once.
 */
import { CopilotRxClient, resolveCliPath } from '@copilot-rx/core';
import { createCliSandbox } from '@copilot-rx/testing';
import { CopilotClient, RuntimeConnection, approveAll } from '@github/copilot-sdk';
import { sampleTree, startSampler } from '../lib/processTree.mjs';

const config = JSON.parse(process.argv[2]);
const { client: which, agent, sessions: count, provider, chunks = 50, capMs = 90_000 } = config;
// JSON has no Infinity: 'unbounded' stands for it; absent means copilot-rx's default.
const maxConcurrentTurns = config.maxConcurrentTurns === 'unbounded' ? Infinity : config.maxConcurrentTurns;
const sessionOptions = {
  streaming: true,
  model: 'claude-sonnet-4.5',
  provider,
  systemMessage: { mode: 'replace', content: 'You are a test assistant.' },
  availableTools: [],
};

/** One turn's outcome: its streamed text per message id, its final message, how often it ended. */
class TurnRecord {
  texts = new Map();
  final = undefined;
  ends = 0;
  error = undefined;

  onEvent(event) {
    if (event.type === 'assistant.message_delta') {
      const { messageId, deltaContent } = event.data;
      this.texts.set(messageId, (this.texts.get(messageId) ?? '') + deltaContent);
    } else if (event.type === 'assistant.message') {
      this.final = event.data;
    }
  }

  get intact() {
    return this.ends === 1 && this.final !== undefined && this.texts.get(this.final.messageId) === this.final.content;
  }
}

const drivers = {
  async rx(sandbox) {
    const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error', maxConcurrentTurns });
    await client.start();
    return {
      pid: client.pid,
      version: client.state.cliVersion,
      create: () => client.createSession(sessionOptions),
      turn: (session, prompt, record) =>
        new Promise((resolve) => {
          session.send(prompt).subscribe({
            next: (event) => record.onEvent(event),
            error: (error) => {
              record.ends++;
              record.error = String(error);
              resolve();
            },
            complete: () => {
              record.ends++;
              resolve();
            },
          });
        }),
      stop: () => client.stop(),
      kill: () => client.forceStop(),
    };
  },
  async sdk(sandbox) {
    const client = new CopilotClient({
      connection: RuntimeConnection.forStdio({ path: sandbox.cliPath, env: sandbox.env }),
      workingDirectory: sandbox.cwd,
      logLevel: 'error',
    });
    await client.start();
    return {
      pid: client.cliProcess?.pid,
      version: (await client.getStatus?.().catch(() => undefined))?.version,
      create: () => client.createSession({ ...sessionOptions, onPermissionRequest: approveAll }),
      turn: (session, prompt, record) =>
        new Promise((resolve) => {
          const off = session.on((event) => {
            record.onEvent(event);
            if (event.type === 'session.idle' || event.type === 'session.error') {
              record.ends++;
              if (event.type === 'session.error') record.error = event.data.message;
              off();
              resolve();
            }
          });
          session.send({ prompt }).catch((error) => {
            record.ends++;
            record.error = String(error);
            off();
            resolve();
          });
        }),
      stop: () => client.stop(),
      kill: () => client.forceStop(),
    };
  },
};

const within = (ms, promise) => Promise.race([promise.then(() => false), new Promise((resolve) => setTimeout(resolve, ms, true).unref())]);

try {
  const cliPath = resolveCliPath({ runtime: agent });
  const sandbox = await createCliSandbox({ cliPath });
  const t0 = performance.now();
  const driver = await drivers[which](sandbox);
  const startMs = performance.now() - t0;
  const sampler = startSampler(driver.pid);

  const t1 = performance.now();
  const opened = await Promise.all(Array.from({ length: count }, () => driver.create()));
  const createMs = performance.now() - t1;

  const cpuBefore = sampleTree(driver.pid).cpuSeconds;
  const records = opened.map(() => new TurnRecord());
  const t2 = performance.now();
  let ended = 0;
  const all = Promise.all(opened.map((session, i) => driver.turn(session, `Hello [[chunks ${chunks}]]`, records[i]).then(() => ended++)));
  const timedOut = await within(capMs, all);
  const turnsMs = performance.now() - t2;
  const agentCpuSeconds = sampleTree(driver.pid).cpuSeconds - cpuBefore;
  const peaks = sampler.stop();

  const result = {
    agentVersion: driver.version,
    sessions: count,
    startMs,
    createMs,
    turnsMs: timedOut ? NaN : turnsMs,
    timedOut,
    capMs,
    turnsEnded: ended,
    intactTurns: records.filter((r) => r.intact).length,
    endedTwice: records.filter((r) => r.ends > 1).length,
    failedTurns: records.filter((r) => r.error !== undefined).length,
    firstError: records.find((r) => r.error !== undefined)?.error,
    agentCpuPercent: (100 * agentCpuSeconds) / (turnsMs / 1000),
    agentPeakRssMB: peaks.rssBytes / 2 ** 20,
    clientPeakHeapMB: peaks.heapBytes / 2 ** 20,
  };
  // A timed-out agent may not answer a polite stop: kill it.
  if (timedOut) await driver.kill();
  else await within(15_000, driver.stop());
  await sandbox.dispose();
  process.send({ type: 'result', result });
} catch (error) {
  process.send({ type: 'error', error: String(error?.stack ?? error) });
}
process.disconnect();
setTimeout(() => process.exit(0), 100).unref();
