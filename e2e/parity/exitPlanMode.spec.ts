/**
 * Leaving plan mode on the real Copilot CLI offline: the scripted model calls `exit_plan_mode`, the CLI
 * asks this client (`onExitPlanMode`), and the answer decides whether the session leaves plan mode.
 */
import { ofType, type ExitPlanModeRequest } from '@copilot-rx/core';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { startBackend, type Backend } from '../support/backends';

jest.setTimeout(120_000);

let cli: Backend;
beforeAll(async () => {
  cli = await startBackend('real-stdio');
});
afterAll(async () => {
  await cli?.dispose();
});

async function planTurn(onExitPlanMode?: (request: ExitPlanModeRequest) => { approved: boolean; feedback?: string }) {
  const session = await cli.client.createSession(cli.sessionConfig({ availableTools: ['exit_plan_mode'], ...(onExitPlanMode && { onExitPlanMode }) }));
  await session.rpc.mode.set({ mode: 'plan' });
  // Plan mode prefixes the prompt with a marker of its own, so the model's call is enqueued, not marked.
  cli.endpoint!.enqueue({ kind: 'tool', calls: [{ name: 'exit_plan_mode', arguments: { summary: 'Rename the module' } }] });
  const completed = firstValueFrom(session.events$.pipe(ofType('exit_plan_mode.completed')));
  const events = await lastValueFrom(session.send({ prompt: 'Make a plan' }).pipe(toArray()));
  const mode = await session.rpc.mode.get();
  await session.destroy();
  return { events, completed: await completed, mode };
}

it('asks the handler once with the plan; approved, the session leaves plan mode', async () => {
  const handler = jest.fn((_request: ExitPlanModeRequest) => ({ approved: true }));
  const { completed, mode } = await planTurn(handler);
  expect(handler).toHaveBeenCalledTimes(1);
  expect(handler.mock.calls[0]?.[0]).toMatchObject({ summary: 'Rename the module', recommendedAction: expect.any(String) });
  expect(completed.data).toMatchObject({ approved: true });
  expect(mode).not.toBe('plan');
});

it('not approved by the handler, the session stays in plan mode and the model reads the feedback', async () => {
  const since = cli.endpoint!.requests.length;
  const { completed, mode } = await planTurn(() => ({ approved: false, feedback: 'Keep planning: add tests first' }));
  expect(completed.data).toMatchObject({ approved: false });
  expect(mode).toBe('plan');
  expect(JSON.stringify(cli.endpoint!.requests.slice(since).map((request) => request.body))).toContain('Keep planning: add tests first');
});
