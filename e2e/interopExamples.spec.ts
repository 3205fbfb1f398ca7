/**
 * The Node interop examples (examples/node-interop) run as documented, against the real Copilot CLI
 * offline, on the built packages.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildAll } from './support/build';

jest.setTimeout(180_000);

const root = path.resolve(__dirname, '..');

function runExample(name: string): string {
  const env = { ...process.env };
  for (const variable of ['COPILOT_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN']) delete env[variable];
  return execFileSync(process.execPath, [path.join('examples', 'node-interop', name)], { cwd: root, env, encoding: 'utf8', stdio: 'pipe' });
}

beforeAll(buildAll);

describe('the Node interop examples', () => {
  it('sse.mjs: streams a turn as Server-Sent Events, and a client leaving aborts the turn', () => {
    expect(runExample('sse.mjs').split('\n')).toEqual([
      'server: the stream ended: completed',
      'client: Explain-1 SSE-2 Explain-3 SSE-4 Explain-5 SSE-6 Explain-7 SSE-8',
      'server: the stream ended: disconnected',
      'cli: abort (user_initiated)',
      '',
    ]);
  });

  it('websocket.mjs: streams coalesced chunks over a ws WebSocket and closes with 1000', () => {
    expect(runExample('websocket.mjs').split('\n')).toEqual([
      'server: the stream ended: completed',
      'client: Explain-1 WebSockets-2 Explain-3 WebSockets-4 Explain-5 WebSockets-6 Explain-7 WebSockets-8',
      'client: closed with 1000',
      '',
    ]);
  });

  it('readable.mjs: pipes a turn through stream.pipeline to stdout', () => {
    expect(runExample('readable.mjs')).toBe('readable: Explain-1 Node-2 streams-3 Explain-4 Node-5 streams-6 Explain-7 Node-8\n');
  });

  it('for-await.mjs: loops over a turn, and breaking out aborts the next one', () => {
    expect(runExample('for-await.mjs').split('\n')).toEqual([
      'loop: Explain-1 async-2 iterators-3 Explain-4 async-5 iterators-6 Explain-7 async-8',
      'loop: left after 3 deltas; cli: abort (user_initiated)',
      '',
    ]);
  });
});
