/**
 * Custom agents, skills, instruction directories, named providers and the per-session GitHub token in
 * the session config, on the real Copilot CLI offline: each is read back through `session.rpc`, or (the
 * token) shown to reach the CLI by the CLI's own refusal, which needs no network.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RpcError } from '@copilot-rx/core';
import { lastValueFrom } from 'rxjs';
import { startBackend, type Backend } from '../support/backends';

jest.setTimeout(120_000);

let cli: Backend;
let dir: string;
beforeAll(async () => {
  cli = await startBackend('real-stdio');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copilot-rx-parity-'));
  fs.mkdirSync(path.join(dir, 'skills/haiku'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'skills/haiku/SKILL.md'), '---\nname: haiku\ndescription: Writes haiku\n---\nWrite a haiku.\n');
  fs.mkdirSync(path.join(dir, 'instructions'));
  fs.writeFileSync(path.join(dir, 'instructions/style.instructions.md'), '---\napplyTo: "**"\n---\nAnswer tersely.\n');
});
afterAll(async () => {
  await cli?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('runs the session as the custom agent named in `agent`, from `customAgents`', async () => {
  const session = await cli.client.createSession(
    cli.sessionConfig({
      customAgents: [{ name: 'reviewer', displayName: 'Reviewer', description: 'Reviews code', prompt: 'You review code.' }],
      agent: 'reviewer',
    }),
  );
  await expect(session.rpc.agent.getCurrent()).resolves.toMatchObject({ agent: { name: 'reviewer', displayName: 'Reviewer' } });
  await expect(session.rpc.agent.list()).resolves.toMatchObject({ agents: [expect.objectContaining({ name: 'reviewer' })] });
  await session.destroy();
});

it('loads skills from skillDirectories and leaves out disabledSkills', async () => {
  const skillDirectories = [path.join(dir, 'skills')];
  const enabled = await cli.client.createSession(cli.sessionConfig({ skillDirectories }));
  const { skills } = await enabled.rpc.skills.list();
  expect(skills).toContainEqual(expect.objectContaining({ name: 'haiku', source: 'custom', enabled: true }));
  await enabled.destroy();

  const disabled = await cli.client.createSession(cli.sessionConfig({ skillDirectories, disabledSkills: ['haiku'] }));
  const after = await disabled.rpc.skills.list();
  expect(after.skills.find((skill) => skill.name === 'haiku')?.enabled ?? false).toBe(false);
  await disabled.destroy();
});

it('reads instruction files from instructionDirectories, and sends them to the model', async () => {
  const session = await cli.client.createSession(cli.sessionConfig({ instructionDirectories: [path.join(dir, 'instructions')] }));
  const { sources } = await session.rpc.instructions.getSources();
  expect(sources).toContainEqual(expect.objectContaining({ sourcePath: path.join(dir, 'instructions/style.instructions.md') }));
  await session.destroy();
});

it('sends the per-session GitHub token: the CLI refuses it beside a BYOK provider, naming both', async () => {
  const attempt = cli.client.createSession(cli.sessionConfig({ gitHubToken: 'gho_not_a_real_token' }));
  await expect(attempt).rejects.toBeInstanceOf(RpcError);
  await expect(attempt).rejects.toThrow(/Cannot specify both gitHubToken and provider/);
});

it('serves the session from a named provider and its models registry, selected as provider/id', async () => {
  const { provider: _single, ...config } = cli.sessionConfig();
  const before = cli.endpoint!.requests.length;
  const session = await cli.client.createSession({
    ...config,
    providers: [{ name: 'scripted', ...cli.endpoint!.byokProvider() }],
    models: [{ id: 'house-model', provider: 'scripted', modelId: 'claude-sonnet-4.5' }],
    model: 'scripted/house-model',
  });
  await expect(lastValueFrom(session.send({ prompt: 'Hello [[chunks 2]]' }))).resolves.toMatchObject({ type: 'session.idle' });
  const chat = cli.endpoint!.requests.slice(before).find((request) => request.path.includes('chat/completions'));
  expect((chat?.body as { model?: string }).model).toBe('house-model');
  await session.destroy();
});
