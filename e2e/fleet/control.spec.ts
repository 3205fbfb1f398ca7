/**
 * Remote control through the broker: a host process serves create/send/abort/answer-permission/destroy
 * for a consumer elsewhere, and refuses bad requests with typed errors.
 */
import { firstValueFrom, lastValueFrom, filter, toArray, take } from 'rxjs';
import { FleetControlError, type RemoteSession } from '@copilot-rx/fleet';
import type { SessionEvent } from '@copilot-rx/core';
import { connect } from '@nats-io/transport-node';
import { natsServerTool } from './natsServer';
import { startFleet, waitFor, type FleetFixture } from './fleetFixture';

jest.setTimeout(240_000);

natsServerTool.describe('remote control of a host', () => {
  let f: FleetFixture;
  let session: RemoteSession;

  beforeAll(async () => {
    f = await startFleet(['ctl']);
    session = await f.fleet.createSession('ctl');
  });
  afterAll(() => f?.dispose());

  it('sends a prompt and gives the turn as a cold Observable ending at session.idle', async () => {
    const turn = session.send('Remote hello [[chunks 3]]');
    const events = await lastValueFrom(turn.pipe(toArray()));
    const text = events.flatMap((e) => (e.type === 'assistant.message_delta' ? [e.data.deltaContent] : [])).join('');
    expect(text).toBe('Remote-1 hello-2 Remote-3');
    expect(events[0]!.type).toBe('user.message');
    expect(events.at(-1)!.type).toBe('session.idle');
  });

  it('aborts the turn on the host when the subscriber leaves early', async () => {
    const idle = firstValueFrom(session.events$.pipe(filter((e): e is Extract<SessionEvent, { type: 'session.idle' }> => e.type === 'session.idle')));
    // [[hang]]: one delta, then nothing until the message is aborted.
    const first = await firstValueFrom(session.send('Wait forever [[hang]]').pipe(filter((e) => e.type === 'assistant.message_delta'), take(1)));
    expect(first.type).toBe('assistant.message_delta');
    expect((await idle).data.aborted).toBe(true);
  });

  it('refuses bad requests with typed errors naming what was wrong', async () => {
    const unknown = f.fleet.session('ctl', 'no-such-session');
    await expect(unknown.abort()).rejects.toMatchObject({ reason: 'UNKNOWN_SESSION' });
    const bad = await f.fleet.session('ctl', session.id).answerPermission('r', { kind: 'maybe' } as never).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(FleetControlError);
    expect(bad).toMatchObject({ reason: 'BAD_REQUEST' });
    expect((bad as Error).message).toMatch(/decision/);
    await expect(f.fleet.session('nobody', 's').abort()).rejects.toMatchObject({ reason: 'NO_RESPONDERS' });
  });

  it('refuses a remote create that chooses settings beyond the host defaults, naming them', async () => {
    // The host runs with the default remoteConfig, 'defaults-only'.
    const refused = await f.fleet.createSession('ctl', { model: 'gpt-5', provider: { type: 'openai', baseUrl: 'https://elsewhere.example/v1', apiKey: 'k' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FleetControlError);
    expect(refused).toMatchObject({ reason: 'CONFIG_REFUSED' });
    expect((refused as Error).message).toMatch(/choose model, provider \(remoteConfig: 'defaults-only'\)/);
    const hosts = await waitFor(f.fleet.hosts$, (list) => list.length === 1, 'the host');
    expect(hosts[0]!.sessions).toBe(1); // nothing was created
    // Naming the session only is not a setting.
    const named = await f.fleet.createSession('ctl', { sessionId: 'named-by-operator' });
    expect(named.id).toBe('named-by-operator');
    await named.destroy();
  });

  it('answers malformed control traffic with a typed refusal and keeps serving', async () => {
    const nc = await connect({ servers: f.nats.url });
    try {
      const ask = async (subject: string, body: string) => JSON.parse((await nc.request(subject, body, { timeout: 10_000 })).string()) as unknown;
      expect(await ask(`copilot.ctl.${session.id}.control.send`, '{not json')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('not JSON') } });
      expect(await ask(`copilot.ctl.${session.id}.control.explode`, '{}')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_VERB' } });
      expect(await ask(`copilot.ctl.${session.id}.control.send`, JSON.stringify({ prompt: 42 }))).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('prompt') } });
      expect(await ask(`copilot.ctl.${session.id}.control.send`, 'x'.repeat(300 * 1024))).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('limit') } });
    } finally {
      await nc.close();
    }
    // Still serving.
    expect((await lastValueFrom(session.send('Still here [[chunks 1]]').pipe(toArray()))).at(-1)!.type).toBe('session.idle');
  });

  it('destroys the session remotely and shows it destroyed', async () => {
    const doomed = await f.fleet.createSession('ctl');
    await doomed.destroy();
    await waitFor(f.fleet.sessions$, (all) => all.some((s) => s.sessionId === doomed.id && s.state === 'destroyed'), 'the destroyed session');
    await expect(lastValueFrom(doomed.send('hi'))).rejects.toMatchObject({ reason: 'UNKNOWN_SESSION' });
  });
});
