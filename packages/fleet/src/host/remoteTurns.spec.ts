import { Subject, type Observable } from 'rxjs';
import type { RxSession, SendOptions, SessionEvent } from '@copilot-rx/core';
import { ControlRefusal } from './controlService';
import { RemoteTurns } from './remoteTurns';

/** A session whose send hands the test the turn's events and its onSent. */
function fakeSession() {
  const sends: { options: SendOptions; events: Subject<SessionEvent> }[] = [];
  const session = {
    id: 's1',
    send: (options: SendOptions): Observable<SessionEvent> => {
      const events = new Subject<SessionEvent>();
      sends.push({ options, events });
      return events;
    },
  } as unknown as RxSession;
  return { session, sends };
}

describe('RemoteTurns', () => {
  it("reports a turn that fails after its send was answered with the consumer's turn id, which never reaches session.send", async () => {
    const failed: unknown[][] = [];
    const turns = new RemoteTurns((...args) => failed.push(args));
    const { session, sends } = fakeSession();
    const answered = turns.send(session, { prompt: 'hi', turnId: 't-1' });
    const { options, events } = sends[0]!;
    expect(options).toEqual({ prompt: 'hi', onSent: expect.any(Function) });
    options.onSent!({ messageId: 'm1' });
    await expect(answered).resolves.toEqual({ messageId: 'm1' });
    const crash = Object.assign(new Error('the CLI process exited'), { code: 'CONNECTION_CLOSED' });
    events.error(crash);
    expect(failed).toEqual([['s1', 't-1', crash]]);
  });

  it('answers a turn that fails before its send was answered with the error, and reports nothing more', async () => {
    const failed: unknown[][] = [];
    const turns = new RemoteTurns((...args) => failed.push(args));
    const { session, sends } = fakeSession();
    const answered = turns.send(session, { prompt: 'hi', turnId: 't-1' });
    const refused = new Error('session.send refused');
    sends[0]!.events.error(refused);
    await expect(answered).rejects.toBe(refused);
    expect(failed).toEqual([]);
  });

  it('reports a running turn that a destroy dropped (its consumer would wait for an idle), and refuses a waiting one', async () => {
    const failed: unknown[][] = [];
    const turns = new RemoteTurns((...args) => failed.push(args));
    const { session, sends } = fakeSession();
    void turns.send(session, { prompt: 'runs', turnId: 't-run' });
    sends[0]!.options.onSent!({ messageId: 'm1' });
    const waiting = turns.send(session, { prompt: 'waits', turnId: 't-wait' });
    turns.dropAll('s1', 'ABORTED', 'session s1 was destroyed before the turn ended');
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    expect(failed).toEqual([['s1', 't-run', expect.any(ControlRefusal)]]);
    expect(failed[0]![2]).toMatchObject({ code: 'ABORTED' });
    expect(sends.map((send) => send.events.observed)).toEqual([false, false]);
  });

  it("names the session's held turns and the one that ended last, for the outbox's gaps; none when one came without an id", async () => {
    const turns = new RemoteTurns(() => undefined);
    const { session, sends } = fakeSession();
    expect(turns.turnIds('s1')).toEqual([]);
    void turns.send(session, { prompt: 'a', turnId: 't-1' });
    void turns.send(session, { prompt: 'b', turnId: 't-2' });
    expect(turns.turnIds('s1')).toEqual(['t-1', 't-2']);
    sends[0]!.options.onSent!({});
    sends[0]!.events.complete();
    // Its idle may reach the outbox after the turn ended here: still named.
    expect(turns.turnIds('s1')).toEqual(['t-2', 't-1']);
    sends[1]!.events.complete();
    expect(turns.turnIds('s1')).toEqual(['t-2']);
    expect(turns.turnIds('other')).toEqual([]);
    // Never sent: the drop below answers it ABORTED.
    const unnamed = turns.send(session, { prompt: 'c' }).catch((error: unknown) => error);
    expect(turns.turnIds('s1')).toBeUndefined();
    turns.dropAll('s1', 'ABORTED', 'destroyed');
    await expect(unnamed).resolves.toMatchObject({ code: 'ABORTED' });
    turns.forget('s1');
    expect(turns.turnIds('s1')).toEqual([]);
  });
});
