/**
 * The cookbook (examples/cookbook) runs as documented: every recipe and the protocol walk-through
 * through `npm run example`'s runner, against the real Copilot CLI offline (recipe 8 too: the real CLI
 * compacts against the scripted model), with --fast paces and small counts. Each test checks what the
 * recipe printed, computed from the scripted model's own answers (demoAnswer), not only that it exited
 * 0. The recipes type-check with the rest of the repository (`npm run typecheck`).
 *
 * The runs start together in beforeAll, three at a time (most of a run is waiting on the CLI), and each
 * test awaits its own: the file takes about as long as its three slowest recipes, not the sum.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { demoAnswer, estimateTokens } from '@copilot-rx/testing';

jest.setTimeout(300_000);

const root = path.resolve(__dirname, '..');
const tsx = require.resolve('tsx/cli');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly lines: string[];
}

/** Runs `npm run example -- <args>` as the script does, with no token of the host, bounded in time. */
function example(...args: string[]): Promise<Run> {
  const env = { ...process.env };
  for (const variable of ['COPILOT_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN']) delete env[variable];
  const child = spawn(process.execPath, [tsx, '--tsconfig', 'examples/cookbook/tsconfig.json', 'examples/cookbook/run.ts', ...args], { cwd: root, env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const bound = setTimeout(() => child.kill('SIGKILL'), 180_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(bound);
      resolve({ code, stdout, stderr, lines: stdout.split('\n').filter((line) => line !== '') });
    }),
  );
}

/** The run succeeded; its stdout lines, for the checks (stderr shown when it did not). */
function ok(run: Run): string[] {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return run.lines;
}

const answer = (prompt: string) => demoAnswer(prompt).answerChunks.join('');

const RUNS: Record<string, readonly string[]> = {
  '01': ['01', '--fast'],
  '02': ['02', '--fast'],
  '03': ['03', '--fast'],
  '04': ['04', '--fast'],
  '05': ['05', '--fast'],
  '06': ['06', '--fast', '--users=3'],
  '07': ['07', '--fast'],
  '08': ['08', '--fast', '--turns=3'],
  walkthrough: ['walkthrough'],
  'walkthrough-rpc': ['walkthrough-rpc'],
  unknown: ['99'],
};
const runs = new Map<string, Promise<Run>>();

/** The run of `key`, started by beforeAll. */
function run(key: keyof typeof RUNS): Promise<Run> {
  return runs.get(key)!;
}

beforeAll(() => {
  // Three lanes, each running its share one after another; the slowest first (05 waits out two 1 s
  // timeouts), so no lane is left with a long run at the end.
  const slowest = ['05', '08', '06'];
  const order = [...slowest, ...Object.keys(RUNS).filter((key) => !slowest.includes(key))];
  const lanes: Promise<unknown>[] = [Promise.resolve(), Promise.resolve(), Promise.resolve()];
  order.forEach((key, i) => {
    const started = lanes[i % lanes.length]!.then(() => example(...RUNS[key]!));
    lanes[i % lanes.length] = started;
    runs.set(key, started);
  });
});
// Every run is bounded (SIGKILL after 180 s); none is left behind when a test fails early.
afterAll(() => Promise.all(runs.values()));

describe('the cookbook', () => {
  it('the runner lists the recipes for an unknown number', async () => {
    const unknown = await run('unknown');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage: npm run example -- NN [--live] [--fast]');
    for (let n = 1; n <= 8; n++) expect(unknown.stderr).toMatch(new RegExp(`^  0${n}-[a-z-]+\\.ts$`, 'm'));
  });

  it('01 basic streaming: the deltas on stdout, in order, then idle', async () => {
    const basic = await run('01');
    ok(basic);
    expect(basic.stdout).toBe(`${answer('Explain Observables in two sentences.')}\n[idle]\n`);
  });

  it('02 token counter: a live estimate, then the exact usage it reconciles with, and the pace', async () => {
    const lines = ok(await run('02'));
    const essay = demoAnswer('Write an essay on reactive streams.');
    const outputTokens = estimateTokens(essay.reasoningChunks.join('').length + essay.answerChunks.join('').length);
    expect(lines[0]).toMatch(/^streaming: ~\d+ tokens so far$/);
    expect(lines).toContain(`estimate: ${outputTokens} output tokens (tokenized on this side)`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^exact: \\d+ input \\+ ${outputTokens} output = \\d+ tokens, cost 0 premium requests, 1 model call\\(s\\)$`)));
    const deltas = essay.reasoningChunks.length + essay.answerChunks.length;
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^pace: first token after \\d+ ms, ${deltas} deltas, \\d+\\.\\d tokens/s$`)));
  });

  it('03 multiple subscribers: one prompt sent, every subscriber sees the turn, the late one only what follows', async () => {
    const lines = ok(await run('03'));
    const text = answer('How do I stream an answer to a WebSocket client?');
    const deltas = demoAnswer('How do I stream an answer to a WebSocket client?').answerChunks.length;
    expect(lines[0]).toBe(`view: ${text.length} characters, ending "${text.slice(-40)}"`);
    expect(lines[1]).toMatch(new RegExp(`^logger: \\d+ events of \\d+ types, ${deltas} answer deltas, user.message x1$`));
    expect(lines[2]).toMatch(/^metrics: time to first token \d+ ms, \d+ deltas$/);
    expect(lines[3]).toBe(`late subscriber (share): joined at delta 5 of ${deltas}, saw ${deltas - 5}`);
    expect(lines[4]).toBe(`late subscriber (shareReplay): joined after the end, saw ${demoAnswer('Explain Observables in two sentences.').answerChunks.length} deltas`);
  });

  it('04 tools: the permission approved for our tool only, its timeline, and the answer using its result', async () => {
    const lines = ok(await run('04'));
    expect(lines).toEqual([
      'tool: get_weather({"city":"Paris"}) running',
      'permission: custom-tool get_weather -> approved',
      expect.stringMatching(/^tool: get_weather\(\{"city":"Paris"\}\) succeeded in \d+ ms$/),
      'answer: Tool get_weather returned: It is 21°C and sunny in Paris.',
    ]);
  });

  it('05 errors: each failure caught as its typed error, the tool failure reported and the turn going on', async () => {
    const lines = ok(await run('05'));
    expect(lines).toEqual([
      expect.stringMatching(/^model error: SessionError \[SESSION_ERROR\] Session \S+ failed \(query, HTTP 400\): /),
      expect.stringMatching(/^first-token timeout: FirstTokenTimeoutError \[FIRST_TOKEN_TIMEOUT\] No output from the model within 1000 ms/),
      expect.stringMatching(/^inactivity: TurnSilenceError \[TURN_SILENCE\] .* heard nothing from the CLI for 1000 ms \(after \d+ events\); the turn was aborted\.$/),
      'answerFailures$: handler-failed on session.tools.handlePendingToolCall: Error: the weather service is down',
      // The model gets the generic text (shareErrorWithModel is off); the app gets the error itself.
      "tool failed: get_weather: Tool 'get_weather' failed. The application did not share the error's details.",
      'a tool that throws: completed',
      'the CLI killed: ConnectionClosedError [CONNECTION_CLOSED] The connection to the Copilot CLI closed: the CLI exited (signal SIGKILL).',
    ]);
  });

  it('06 concurrent sessions: one line of totals per user, every answer whole', async () => {
    const lines = ok(await run('06'));
    const questions = ['Explain Observables in two sentences.', 'How do I stream an answer to a WebSocket client?', 'How should I test streaming code?'];
    questions.forEach((question, i) => {
      const { answerChunks } = demoAnswer(question);
      expect(lines[i]).toMatch(new RegExp(`^user ${i + 1} \\(session [0-9a-f-]{8}\\): ${answerChunks.length} deltas, ${answerChunks.join('').length} characters, \\d+ output tokens, done after \\d+ ms$`));
    });
    const total = questions.reduce((sum, q) => sum + demoAnswer(q).answerChunks.length, 0);
    expect(lines[3]).toMatch(new RegExp(`^all 3 users: ${total} deltas, \\d+ output tokens; at most [1-3] streaming at once$`));
  });

  it('07 WebSocket and SSE: whole answers to readers, and a client leaving aborts its turn on the CLI', async () => {
    const lines = ok(await run('07'));
    const ws = answer('How do I stream an answer to a WebSocket client?');
    const sse = answer('Explain Observables in two sentences.');
    expect(lines.slice(0, 2)).toEqual([`ws client: ${ws.length} characters, "${ws.slice(0, 40)}...", closed with 1000`, 'ws client: left after the first chunk']);
    expect(lines.slice(2, 4)).toEqual(['ws server: the stream ended: completed', 'ws server: the stream ended: disconnected; cli: abort (user_initiated)']);
    expect(lines.slice(4, 6)).toEqual([`sse client: ${sse.length} characters, "${sse.slice(0, 40)}..."`, 'sse client: left after the first frame']);
    expect(lines.slice(6)).toEqual(['sse server: the stream ended: completed', 'sse server: the stream ended: disconnected; cli: abort (user_initiated)']);
  });

  it('08 compaction: on the real CLI (not the fake agent), the history compacted in the background and reported', async () => {
    const lines = ok(await run('08'));
    expect(lines[0]).toBe('backend: the real Copilot CLI, offline');
    expect(lines.filter((line) => /^turn \d: idle$/.test(line))).toEqual(['turn 1: idle', 'turn 2: idle', 'turn 3: idle']);
    expect(lines).toContain('compaction: compacting (trigger: threshold)');
    const done = lines.filter((line) => line.startsWith('compaction: done'));
    expect(done.length).toBeGreaterThan(0);
    for (const line of done) {
      const [, before, after] = /^compaction: done, (\d+) -> (\d+) tokens in \d+ ms$/.exec(line) ?? [];
      expect(Number(after)).toBeLessThan(Number(before));
    }
    expect(lines.at(-1)).toBe(`compactions: ${done.length}`);
  });

  it('the protocol walk-through: connect, create, send, a permission and a tool call answered by hand, idle', async () => {
    expect(ok(await run('walkthrough'))).toEqual([
      '-> connect',
      expect.stringMatching(/^<- connect: protocolVersion 3 \(this client speaks 3\), CLI \d+\.\d+\.\d+$/),
      '-> session.create',
      '<- session.create: session created with our id',
      '-> session.send',
      '<- session.send: messageId received',
      '<- session.event permission.requested: custom-tool get_weather',
      '-> session.permissions.handlePendingPermissionRequest',
      '<- session.event external_tool.requested: get_weather({"city":"Paris"})',
      '-> session.tools.handlePendingToolCall',
      expect.stringMatching(/^<- session.event session.idle \(after \d+ other events\)$/),
      'answer: Tool get_weather returned: It is 21°C and sunny in Paris.',
      '-> session.destroy',
    ]);
  });

  it('the walk-through on copilot-rx RpcConnection: the same conversation, framing and correlation from core', async () => {
    expect(ok(await run('walkthrough-rpc'))).toEqual([
      '-> connect',
      '<- connect: protocolVersion 3 (this client speaks 3)',
      '-> session.create',
      '<- session.create: created with our id',
      '-> session.send',
      '<- session.event permission.requested: custom-tool',
      '-> session.permissions.handlePendingPermissionRequest',
      '<- session.event external_tool.requested: get_weather',
      '-> session.tools.handlePendingToolCall',
      expect.stringMatching(/^<- session.idle after \d+ events$/),
      'answer: Tool get_weather returned: It is 21°C and sunny in Paris.',
      '-> session.destroy',
    ]);
  });
});
