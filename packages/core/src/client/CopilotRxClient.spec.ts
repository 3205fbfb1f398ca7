import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import {
  AuthenticationError,
  CliStartupError,
  ConnectionClosedError,
  InvalidStateError,
  ProtocolVersionMismatchError,
} from '../errors';
import { FakeCli, FakeError, NO_ANSWER } from '../testSupport/fakeCli';
import { CopilotRxClient } from './CopilotRxClient';
import type { ConnectionState } from './state';

async function started(cli = new FakeCli()) {
  const client = new CopilotRxClient({ transport: cli.transport() });
  await client.start();
  return { cli, client };
}

describe('CopilotRxClient start()', () => {
  it('is single-flight: concurrent calls share one connection', async () => {
    const cli = new FakeCli();
    const client = new CopilotRxClient({ transport: cli.transport() });
    await Promise.all([client.start(), client.start(), client.start()]);
    expect(cli.opened).toBe(1);
    expect(cli.requestsOf('connect')).toHaveLength(1);
    expect(client.state).toEqual({ status: 'connected', cliVersion: 'fake', protocolVersion: 3 });
    await client.stop();
  });

  it('sends the connection token in connect when one is configured', async () => {
    const cli = new FakeCli();
    const client = new CopilotRxClient({ transport: cli.transport(), connectionToken: 'tok-123' });
    await client.start();
    expect(cli.requestsOf('connect')[0]?.params).toEqual({ token: 'tok-123' });
    await client.stop();
  });

  it('rejects a protocol version other than 3 with ProtocolVersionMismatchError', async () => {
    const cli = new FakeCli();
    cli.handle('connect', () => ({ ok: true, protocolVersion: 2, version: '0.9.0' }));
    const client = new CopilotRxClient({ transport: cli.transport() });
    const error = await client.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolVersionMismatchError);
    expect((error as Error).message).toMatch(/protocol version 2.*needs version 3/);
  });

  it('maps AUTHENTICATION_FAILED to AuthenticationError', async () => {
    const cli = new FakeCli();
    cli.handle('connect', () => {
      throw new FakeError(-32002, 'AUTHENTICATION_FAILED');
    });
    const error = await new CopilotRxClient({ transport: cli.transport() }).start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/connection token/);
  });

  it('falls back to ping when the server has no connect method', async () => {
    const cli = new FakeCli();
    cli.handle('connect', () => {
      throw new FakeError(-32601, 'Unhandled method connect');
    });
    cli.handle('ping', () => ({ message: 'pong', protocolVersion: 3 }));
    const { client } = await started(cli);
    expect(cli.requestsOf('ping')).toHaveLength(1);
    await client.stop();
  });

  it('reports a CLI that exits during start-up with its exit code and stderr', async () => {
    const cli = new FakeCli();
    cli.handle('connect', () => {
      cli.stderr = 'error: unknown option --bogus';
      cli.exit({ reason: 'the CLI exited', exitCode: 1, signal: null });
      return NO_ANSWER;
    });
    const client = new CopilotRxClient({ transport: cli.transport() });
    const error = await client.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliStartupError);
    expect((error as CliStartupError).exitCode).toBe(1);
    expect((error as Error).message).toContain('unknown option --bogus');
    expect(client.state.status).toBe('idle');
  });

  it('times out a handshake that never answers', async () => {
    const cli = new FakeCli();
    cli.handle('connect', () => NO_ANSWER);
    const client = new CopilotRxClient({ transport: cli.transport(), startupTimeoutMs: 50 });
    await expect(client.start()).rejects.toThrow(/did not answer `connect` within 50 ms/);
  });
});

describe('CopilotRxClient events', () => {
  it('routes events that arrive before the session.create answer to the new session', async () => {
    const { cli, client } = await started();
    cli.handle('session.create', (params) => {
      cli.emit(params['sessionId'] as string, 'session.start', {
        sessionId: params['sessionId'],
        version: 1,
        producer: 'copilot-agent',
        copilotVersion: '0.0.0',
        startTime: new Date(0).toISOString(),
      });
      return { sessionId: params['sessionId'] };
    });
    const early: string[] = [];
    const sub = client.events$.subscribe(({ event }) => early.push(event.type));
    const session = await client.createSession();
    const create = cli.requestsOf('session.create')[0];
    expect(create?.params?.['sessionId']).toBe(session.id);
    expect(early).toEqual(['session.start']);
    sub.unsubscribe();
    await client.stop();
  });

  it('delivers each session only its own events', async () => {
    const { cli, client } = await started();
    const a = await client.createSession();
    const b = await client.createSession();
    const seenByA = lastValueFrom(a.events$.pipe(take(2), toArray()));
    const seenByB = lastValueFrom(b.events$.pipe(take(1), toArray()));
    cli.emit(a.id, 'session.title_changed', { title: 'A1' }, { ephemeral: true });
    cli.emit(b.id, 'session.title_changed', { title: 'B1' }, { ephemeral: true });
    cli.emit(a.id, 'session.title_changed', { title: 'A2' }, { ephemeral: true });
    expect((await seenByA).map((e) => e.data)).toEqual([{ title: 'A1' }, { title: 'A2' }]);
    expect((await seenByB).map((e) => e.data)).toEqual([{ title: 'B1' }]);
    await client.stop();
  });

  it('quarantines a malformed event in decodeErrors$ and keeps the stream going', async () => {
    const { cli, client } = await started();
    const session = await client.createSession();
    const failure = firstValueFrom(client.decodeErrors$);
    const next = firstValueFrom(session.events$);
    cli.emit(session.id, 'assistant.message_delta', { messageId: 'm1', deltaContent: 42 }, { ephemeral: true });
    cli.emit(session.id, 'assistant.message_delta', { messageId: 'm1', deltaContent: 'ok' }, { ephemeral: true });
    expect((await failure).messages.join('\n')).toMatch(/deltaContent/);
    expect((await next).data).toEqual({ messageId: 'm1', deltaContent: 'ok' });
    await client.stop();
  });

  it('reports a frame that is not JSON on malformed$, skips it and reads on', async () => {
    const { cli, client } = await started();
    const session = await client.createSession();
    const malformed = firstValueFrom(client.malformed$);
    const next = firstValueFrom(session.events$);
    cli.toClient.write('Content-Length: 9\r\n\r\n{not json');
    cli.emit(session.id, 'session.title_changed', { title: 'still here' }, { ephemeral: true });
    expect(await malformed).toMatchObject({ code: 'MALFORMED_MESSAGE', reason: 'bad-json', excerpt: '{not json' });
    expect((await next).data).toEqual({ title: 'still here' });
    await client.stop();
  });

  it('passes an unknown event type through with its raw data', async () => {
    const { cli, client } = await started();
    const session = await client.createSession();
    const next = firstValueFrom(session.events$);
    cli.emit(session.id, 'host.new_kind_of_event', { model: 'm' }, { ephemeral: true });
    const event = await next;
    expect(event.type).toBe('unknown');
    expect(event.type === 'unknown' && event.rawType).toBe('host.new_kind_of_event');
    expect(event.data).toEqual({ model: 'm' });
    await client.stop();
  });

  it('drops events re-sent with an id already delivered, and counts them', async () => {
    const { cli, client } = await started();
    const session = await client.createSession();
    const received = lastValueFrom(session.events$.pipe(take(2), toArray()));
    const first = cli.emit(session.id, 'session.title_changed', { title: 'x' }, { ephemeral: true });
    cli.notify('session.event', { sessionId: session.id, event: first });
    cli.notify('session.event', { sessionId: session.id, event: first });
    cli.emit(session.id, 'session.title_changed', { title: 'y' }, { ephemeral: true });
    expect((await received).map((e) => e.data)).toEqual([{ title: 'x' }, { title: 'y' }]);
    expect(await firstValueFrom(client.duplicatesDropped$)).toBe(2);
    await client.stop();
  });

  it('exposes any request as a cold Observable (sent on subscribe) and as a Promise', async () => {
    const { cli, client } = await started();
    cli.handle('models.list', () => ({ models: [{ id: 'auto', name: 'Auto' }] }));
    const models$ = client.request$('models.list');
    expect(cli.requestsOf('models.list')).toHaveLength(0);
    expect(await firstValueFrom(models$)).toEqual({ models: [{ id: 'auto', name: 'Auto' }] });
    expect(await client.request('models.list')).toEqual({ models: [{ id: 'auto', name: 'Auto' }] });
    expect(cli.requestsOf('models.list')).toHaveLength(2);
    await client.stop();
  });

  it('answers an unknown server request with an error at once', async () => {
    const { cli, client } = await started();
    const answer = await cli.request('sessionFs.readFile', { sessionId: 'x', path: '/a' });
    expect(answer.error?.code).toBe(-32601);
    expect(answer.error?.message).toContain('sessionFs.readFile');
    await client.stop();
  });
});

describe('CopilotRxClient connection loss', () => {
  it('errors live streams and pending requests with ConnectionClosedError', async () => {
    const { cli, client } = await started();
    const session = await client.createSession();
    cli.handle('session.getMessages', () => NO_ANSWER);
    const pending = session.getMessages().catch((e: unknown) => e);
    const streamError = firstValueFrom(session.events$).catch((e: unknown) => e);
    const allError = firstValueFrom(client.events$).catch((e: unknown) => e);
    const states: ConnectionState[] = [];
    client.state$.subscribe((s) => states.push(s));
    cli.stderr = 'panic: out of memory';
    cli.exit({ reason: 'the CLI exited', exitCode: null, signal: 'SIGKILL' });
    for (const error of [await pending, await streamError, await allError]) {
      expect(error).toBeInstanceOf(ConnectionClosedError);
      expect((error as ConnectionClosedError).signal).toBe('SIGKILL');
      expect((error as Error).message).toContain('panic: out of memory');
    }
    expect(states.at(-1)?.status).toBe('closed');
    await expect(client.createSession()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('stop() destroys sessions, completes the streams and cannot be restarted', async () => {
    const { cli, client } = await started();
    const session = await client.createSession();
    const completed = lastValueFrom(session.events$.pipe(toArray()));
    await client.stop();
    expect(await completed).toEqual([]);
    expect(cli.requestsOf('session.destroy').map((m) => m.params?.['sessionId'])).toEqual([session.id]);
    expect(client.state.status).toBe('stopped');
    await expect(client.start()).rejects.toBeInstanceOf(InvalidStateError);
  });
});
