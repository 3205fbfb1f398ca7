/** The durable-sessions example (examples/durable) runs as documented, against the real Copilot CLI offline. */
import { spawn } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(120_000);

const root = path.resolve(__dirname, '../..');
const tsx = require.resolve('tsx/cli');

it('surviving-a-cut: the link is cut mid-answer, the client reconnects, and the streamed text equals the final message', async () => {
  const env = { ...process.env };
  for (const variable of ['COPILOT_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN']) delete env[variable];
  const child = spawn(process.execPath, [tsx, '--tsconfig', 'examples/durable/tsconfig.json', 'examples/durable/surviving-a-cut.ts'], {
    cwd: root,
    env,
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const bound = setTimeout(() => child.kill('SIGKILL'), 100_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(bound);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const lines = stdout.split('\n');
  expect(lines).toContain('cutting the link after 200 deltas');
  expect(lines).toContain('link lost: reconnecting (attempt 1)');
  const counts = /^deltas: 600, distinct ids: (\d+) of (\d+) events$/m.exec(stdout);
  expect(counts).not.toBeNull();
  expect(counts?.[1]).toBe(counts?.[2]);
  expect(lines).toContain('streamed text equals the final message: true');
});
