/**
 * The client's bound on concurrent turns, end to end over a fake CLI: what is sent when, what
 * `turnQueue$` shows, and how queued turns end when the client does.
 */
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { ConnectionClosedError, InvalidStateError } from '../errors';
import { FakeCli } from '../testSupport/fakeCli';
import { CopilotRxClient } from './CopilotRxClient';
import type { TurnQueueState } from './turnLimiter';

async function started(maxConcurrentTurns: number) {
  const cli = new FakeCli();
  const client = new CopilotRxClient({ transport: cli.transport(), maxConcurrentTurns });
  await client.start();
  const [a, b, c] = await Promise.all([client.createSession(), client.createSession(), client.createSession()]);
  return { cli, client, a: a!, b: b!, c: c! };
}

/** Ends the session's running turn the way the CLI does. */
function finishTurn(cli: FakeCli, sessionId: string): void {
  cli.emit(sessionId, 'user.message', { content: 'hi' });
  cli.emit(sessionId, 'session.idle', {}, { ephemeral: true });
}

const sentTo = (cli: FakeCli) => cli.requestsOf('session.send').map((m) => m.params?.['sessionId']);
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Waits (a bounded number of turns of the event loop) until the CLI has received `count` sends. */
async function sends(cli: FakeCli, count: number): Promise<void> {
  for (let i = 0; i < 1000 && cli.requestsOf('session.send').length < count; i++) await settle();
}

describe('CopilotRxClient maxConcurrentTurns', () => {
  it('sends up to the bound, queues the rest, and sends each queued prompt when a turn ends', async () => {
    const { cli, client, a, b, c } = await started(2);
    const seen: TurnQueueState[] = [];
    client.turnQueue$.subscribe((state) => seen.push(state));
    const ends = [a, b, c].map((session) => lastValueFrom(session.send('go').pipe(toArray())));
    await settle();
    expect(sentTo(cli)).toEqual([a.id, b.id]);
    expect(seen.at(-1)).toEqual({ running: 2, queued: 1, limit: 2 });

    finishTurn(cli, a.id);
    await ends[0];
    await sends(cli, 3);
    expect(sentTo(cli)).toEqual([a.id, b.id, c.id]);
    finishTurn(cli, b.id);
    finishTurn(cli, c.id);
    await Promise.all(ends);
    expect(seen.at(-1)).toEqual({ running: 0, queued: 0, limit: 2 });
    await client.stop();
  });

  it('sends nothing for a queued turn unsubscribed before it starts, and aborts nothing', async () => {
    const { cli, client, a, b, c } = await started(1);
    const first = lastValueFrom(a.send('first'));
    const leaving = b.send('never sent').subscribe();
    const next = lastValueFrom(c.send('next'));
    await settle();
    expect(await firstValueFrom(client.turnQueue$)).toEqual({ running: 1, queued: 2, limit: 1 });

    leaving.unsubscribe();
    expect(await firstValueFrom(client.turnQueue$)).toEqual({ running: 1, queued: 1, limit: 1 });
    finishTurn(cli, a.id);
    await first;
    await sends(cli, 2);
    finishTurn(cli, c.id);
    await next;
    expect(sentTo(cli)).toEqual([a.id, c.id]);
    expect(cli.requestsOf('session.abort')).toEqual([]);
    await client.stop();
  });

  it('fails queued turns with ConnectionClosedError when the CLI goes away, without sending them', async () => {
    const { cli, client, a, b } = await started(1);
    const running = lastValueFrom(a.send('first')).catch((e: unknown) => e);
    const queued = lastValueFrom(b.send('queued')).catch((e: unknown) => e);
    await settle();
    cli.exit({ reason: 'the CLI exited', exitCode: 1, signal: null });
    expect(await queued).toBeInstanceOf(ConnectionClosedError);
    expect(await running).toBeInstanceOf(ConnectionClosedError);
    expect(sentTo(cli)).toEqual([a.id]);
    await client.stop();
  });

  it('fails queued turns with InvalidStateError when the client stops, and completes turnQueue$', async () => {
    const { cli, client, a, b } = await started(1);
    const running = lastValueFrom(a.send('first')).catch((e: unknown) => e);
    const queued = lastValueFrom(b.send('queued')).catch((e: unknown) => e);
    let completed = false;
    client.turnQueue$.subscribe({ complete: () => (completed = true) });
    await settle();
    await client.stop();
    expect(await queued).toBeInstanceOf(InvalidStateError);
    expect(await running).toBeInstanceOf(Error);
    expect(completed).toBe(true);
    expect(sentTo(cli)).toEqual([a.id]);
  });

  it('rejects an invalid bound when the client is made', () => {
    expect(() => new CopilotRxClient({ maxConcurrentTurns: 0 })).toThrow(RangeError);
  });
});
