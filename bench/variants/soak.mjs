/**
 * The soak run (`npm run soak`): one copilot-rx client on one real agent process (offline, scripted
 * model endpoint), first many sequential turns on one session, then rounds of many concurrent
 * sessions, each round's sessions created, used for one turn and destroyed. Every turn is checked:
 * it ends exactly once, and its streamed text is its final assistant.message (lost and duplicated
 * characters are counted when it is not). Prints heap and RSS as it goes; reports samples and totals.
 */
import { CopilotRxClient, resolveCliPath } from '@copilot-rx/core';
import { createCliSandbox } from '@copilot-rx/testing';
import { sampleTree } from '../lib/processTree.mjs';

const { agent, provider, sequentialTurns, concurrentSessions, rounds, chunks, sampleEveryMs, turnTimeoutMs } = JSON.parse(process.argv[2]);
const sessionOptions = { streaming: true, model: 'claude-sonnet-4.5', provider, systemMessage: { mode: 'replace', content: 'You are a test assistant.' }, availableTools: [] };
const MB = 2 ** 20;

const totals = { turns: 0, intact: 0, endedTwice: 0, failed: 0, lostChars: 0, duplicatedChars: 0, firstError: undefined };
const samples = [];
let phase = 'start';

/** One turn through session.send(), with the checks above; never waits longer than turnTimeoutMs. */
function runTurn(session, prompt) {
  return new Promise((resolve) => {
    const texts = new Map();
    let final;
    let ends = 0;
    const finish = (error) => {
      ends++;
      if (ends > 1) {
        totals.endedTwice++;
        return;
      }
      clearTimeout(timer);
      totals.turns++;
      if (error !== undefined) {
        totals.failed++;
        totals.firstError ??= String(error);
      } else {
        const streamed = texts.get(final?.messageId) ?? '';
        const expected = final?.content ?? '';
        if (final !== undefined && streamed === expected) totals.intact++;
        else {
          // The final message is authoritative: what the stream lacked was lost, what it had extra was duplicated.
          totals.lostChars += Math.max(0, expected.length - streamed.length);
          totals.duplicatedChars += Math.max(0, streamed.length - expected.length);
          if (streamed.length === expected.length) totals.lostChars += expected.length; // same length, other text
        }
      }
      // A tick later, so a second end would still be counted before the next turn starts.
      setImmediate(resolve);
    };
    const subscription = session.send(prompt).subscribe({
      next: (event) => {
        if (event.type === 'assistant.message_delta') {
          const { messageId, deltaContent } = event.data;
          texts.set(messageId, (texts.get(messageId) ?? '') + deltaContent);
        } else if (event.type === 'assistant.message') final = event.data;
      },
      error: (error) => finish(error),
      complete: () => finish(),
    });
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      finish(new Error(`turn did not end within ${turnTimeoutMs} ms`));
    }, turnTimeoutMs);
  });
}

function sample(client, t0) {
  const memory = process.memoryUsage();
  const entry = {
    seconds: (performance.now() - t0) / 1000,
    phase,
    turns: totals.turns,
    clientHeapMB: memory.heapUsed / MB,
    clientRssMB: memory.rss / MB,
    agentRssMB: sampleTree(client.pid).rssBytes / MB,
  };
  samples.push(entry);
  process.stdout.write(
    `  ${entry.seconds.toFixed(0).padStart(4)} s  ${phase.padEnd(22)} turns ${String(entry.turns).padStart(5)}  ` +
      `client heap ${entry.clientHeapMB.toFixed(1)} MB, rss ${entry.clientRssMB.toFixed(0)} MB; agent rss ${entry.agentRssMB.toFixed(0)} MB\n`,
  );
}

try {
  const sandbox = await createCliSandbox({ cliPath: resolveCliPath({ runtime: agent }) });
  const client = new CopilotRxClient({ runtime: agent, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' });
  await client.start();
  const t0 = performance.now();
  const timer = setInterval(() => sample(client, t0), sampleEveryMs);
  sample(client, t0);

  phase = `sequential ×${sequentialTurns}`;
  const session = await client.createSession(sessionOptions);
  for (let i = 0; i < sequentialTurns; i++) await runTurn(session, `Turn ${i} [[chunks ${chunks}]]`);
  await session.destroy();
  global.gc?.();
  sample(client, t0);

  for (let round = 1; round <= rounds; round++) {
    phase = `concurrent ${concurrentSessions}, round ${round}`;
    const sessions = await Promise.all(Array.from({ length: concurrentSessions }, () => client.createSession(sessionOptions)));
    await Promise.all(sessions.map((s, i) => runTurn(s, `Session ${i} [[chunks ${chunks}]]`)));
    await Promise.all(sessions.map((s) => s.destroy()));
    global.gc?.();
    sample(client, t0);
  }
  clearInterval(timer);
  phase = 'end';
  const version = client.state.status === 'connected' ? client.state.cliVersion : undefined;
  await client.stop();
  await sandbox.dispose();
  process.send({ type: 'result', result: { agentVersion: version, seconds: (performance.now() - t0) / 1000, totals, samples } });
} catch (error) {
  process.send({ type: 'error', error: String(error?.stack ?? error) });
}
process.disconnect();
setTimeout(() => process.exit(0), 100).unref();
