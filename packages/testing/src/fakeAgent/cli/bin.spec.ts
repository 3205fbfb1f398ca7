/**
 * The `copilot-rx-fake-agent` bin as a process, launched the way an SDK launches the CLI.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RpcTestClient } from '../testSupport/RpcTestClient';

const BIN = path.resolve(__dirname, '../../../bin/copilot-rx-fake-agent.js');
const CLI_ARGS = ['--headless', '--no-auto-update', '--log-level', 'error'];

interface Launched {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exit: Promise<{ readonly code: number | null; readonly stderr: string }>;
}

function launch(args: readonly string[], env: NodeJS.ProcessEnv = {}): Launched {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, COPILOT_CONNECTION_TOKEN: '', ...env }, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  return { child, exit };
}

/** The port from the "CLI server listening on port N" line the SDK waits for (protocol.md §1.5). */
function listeningPort(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening on port (\d+)/i.exec(out);
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)} before listening; stdout: ${out}`)));
  });
}

describe('copilot-rx-fake-agent bin', () => {
  it('speaks JSON-RPC over stdio with the CLI argv, and exits 0 when stdin closes', async () => {
    const { child, exit } = launch([...CLI_ARGS, '--stdio']);
    const client = new RpcTestClient(child.stdout, child.stdin);
    await expect(client.request('connect', {})).resolves.toEqual({ ok: true, protocolVersion: 3, version: '1.0.102' });
    await client.request('session.create', { sessionId: 's1', streaming: true });
    await client.request('session.send', { sessionId: 's1', prompt: 'Say hello' });
    await client.waitForEvent('session.idle');
    expect(client.events('s1').some((event) => event.type === 'assistant.message_delta')).toBe(true);
    child.stdin.end();
    await expect(exit).resolves.toEqual({ code: 0, stderr: '' });
  });

  it('listens on 127.0.0.1 in TCP mode, prints the port line, and honours COPILOT_CONNECTION_TOKEN', async () => {
    const token = 'tcp-token-789';
    const { child, exit } = launch([...CLI_ARGS, '--port', '0'], { COPILOT_CONNECTION_TOKEN: token });
    const port = await listeningPort(child);
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const client = new RpcTestClient(socket, socket);
    await expect(client.request('ping')).rejects.toMatchObject({ code: -32001, message: 'AUTHENTICATION_REQUIRED' });
    await expect(client.request('connect', { token: 'nope' })).rejects.toMatchObject({ code: -32002 });
    await expect(client.request('connect', { token })).resolves.toMatchObject({ ok: true });
    socket.destroy();
    child.kill('SIGTERM');
    const { code, stderr } = await exit;
    expect(code).toBe(0);
    expect(stderr).not.toContain(token);
  });

  it('exits with the scripted code and stderr line when a turn crashes it', async () => {
    const { child, exit } = launch([...CLI_ARGS, '--stdio']);
    const client = new RpcTestClient(child.stdout, child.stdin);
    await client.request('session.create', { sessionId: 's1', streaming: true });
    await client.request('session.send', { sessionId: 's1', prompt: 'Boom [[crash 3]]' });
    await client.ended;
    await expect(exit).resolves.toEqual({ code: 3, stderr: 'fatal: the fake Copilot agent crashed (scripted)\n' });
  });

  it('refuses an unknown option as the CLI does: exit code 1 and the option on stderr', async () => {
    const { exit } = launch([...CLI_ARGS, '--stdio', '--nonexistent']);
    await expect(exit).resolves.toEqual({ code: 1, stderr: "error: unknown option '--nonexistent'\n" });
  });

  it('plays the scripts of a --script module', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fake-agent-script-'));
    try {
      const script = path.join(dir, 'script.js');
      await writeFile(script, "module.exports = [{ calls: [{ kind: 'reply', text: 'scripted answer', chunks: 2 }] }];\n");
      const { child, exit } = launch([...CLI_ARGS, '--stdio', '--script', script]);
      const client = new RpcTestClient(child.stdout, child.stdin);
      await client.request('session.create', { sessionId: 's1', streaming: true });
      await client.request('session.send', { sessionId: 's1', prompt: 'anything' });
      const message = await client.waitForEvent('assistant.message');
      expect((message.data as { content: string }).content).toBe('scripted answer');
      child.stdin.end();
      await expect(exit).resolves.toMatchObject({ code: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
