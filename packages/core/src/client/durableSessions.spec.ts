import { Subject, of, type Observable } from 'rxjs';
import type { SessionEvent } from '../codecs/sessionEvent.js';
import { EventHub } from '../events/eventHub.js';
import type { RpcConnection } from '../rpc/connection.js';
import type { RpcNotification } from '../rpc/notification.js';
import type { RxSession } from '../session/RxSession.js';
import { DurableSessions } from './durableSessions.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
/** Delta `n` of one message, as the CLI logs and sends it (`n` is its place in the event log). */
const delta = (n: number) => ({
  id: uuid(n),
  timestamp: '2026-12-01T00:00:00.000Z',
  parentId: null,
  ephemeral: true,
  type: 'assistant.message_delta',
  data: { messageId: 'm', deltaContent: `<${n}>` },
});
const live = (n: number): RpcNotification => ({ method: 'session.event', params: { sessionId: 's1', event: delta(n) } });

/** A session as DurableSessions sees it: what reaches its stream, in order. */
function recordingSession() {
  const delivered: number[] = [];
  const session = {
    id: 's1',
    config: {},
    busy: true,
    deliver: (event: SessionEvent) => void delivered.push(Number.parseInt(event.id.slice(-12), 16)),
    end: () => undefined,
    dispose: () => undefined,
    interruptTurn: () => undefined,
  };
  return { delivered, session: session as unknown as RxSession };
}

/**
 * A new link to a CLI whose catch-up burst on `session.resume` arrives as `burst` says, and whose event
 * log (read in pages) holds `log`: the state of CLI 1.0.102 seen in the ten-cuts e2e under load.
 */
function linkTo(feed: Subject<RpcNotification>, burst: readonly number[], pages: readonly (readonly number[])[]): RpcConnection {
  const request = (method: string, params: { cursor?: string }): Observable<unknown> => {
    if (method === 'session.eventLog.read') {
      const at = params.cursor === undefined ? 0 : Number(params.cursor.split('|')[1]);
      return of({ events: pages[at]!.map(delta), cursor: `log|${at + 1}`, hasMore: at + 1 < pages.length, cursorStatus: 'ok' });
    }
    if (method === 'session.metadata.isProcessing') return of({ processing: true });
    throw new Error(`unexpected request ${method}`);
  };
  const call = async (method: string) => {
    if (method !== 'session.resume') throw new Error(`unexpected call ${method}`);
    for (const n of burst) feed.next(live(n));
    return { sessionId: 's1' };
  };
  return { call, request, closedError: undefined } as unknown as RpcConnection;
}

async function reattachAfterSeeing(seen: readonly number[], burst: readonly number[], pages: readonly (readonly number[])[]) {
  const feed = new Subject<RpcNotification>();
  const hub = new EventHub();
  hub.attach(feed);
  const durable = new DurableSessions(hub, () => ({}));
  const { delivered, session } = recordingSession();
  durable.open(session);
  for (const n of seen) feed.next(live(n));
  await durable.reattachAll(linkTo(feed, burst, pages));
  return delivered;
}

describe('DurableSessions re-attach', () => {
  it('delivers in event-log order when the catch-up burst on the new link arrives out of order', async () => {
    // The cut lost 3..8; the burst has 4..6 before 3 (the wire order CLI 1.0.102 produced under load).
    const delivered = await reattachAfterSeeing([1, 2], [4, 5, 6, 3, 7], [[1, 2, 3, 4, 5, 6, 7, 8]]);
    expect(delivered).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps log order when the burst is out of order across a page boundary of the history', async () => {
    const delivered = await reattachAfterSeeing([1], [5, 4, 6, 3, 8], [[1, 2, 3], [4, 5, 6, 7], [8]]);
    expect(delivered).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('live events newer than the history follow it in wire order on release', async () => {
    const delivered = await reattachAfterSeeing([1], [3, 2, 4, 6, 5], [[1, 2, 3, 4]]);
    expect(delivered).toEqual([1, 2, 3, 4, 6, 5]);
  });

  it('delivers the burst in wire order when the log agrees with it, history first', async () => {
    const delivered = await reattachAfterSeeing([1], [4, 5], [[1, 2, 3, 4], [5]]);
    expect(delivered).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('DurableSessions after a CLI that lost the work (isProcessing: false)', () => {
  /** A session whose turns are counted like RxSession's, on a link whose CLI no longer runs any turn. */
  async function reattach(turnsAtCut: { busy: boolean; serial: number }, sinceCut: { busy: boolean; serial: number }) {
    const feed = new Subject<RpcNotification>();
    const hub = new EventHub();
    hub.attach(feed);
    const durable = new DurableSessions(hub, () => ({}));
    const interrupted: string[] = [];
    const state = { ...turnsAtCut };
    const session = {
      id: 's1',
      config: {},
      get busy() {
        return state.busy;
      },
      get turnSerial() {
        return state.serial;
      },
      deliver: () => undefined,
      end: () => undefined,
      dispose: () => undefined,
      interruptTurn: (reason: string) => void interrupted.push(reason),
    } as unknown as RxSession;
    durable.open(session);
    durable.linkLost();
    Object.assign(state, sinceCut); // what the app did while the client was reconnecting
    const link = {
      call: async () => ({ sessionId: 's1' }),
      request: (method: string) =>
        method === 'session.metadata.isProcessing' ? of({ processing: false }) : of({ events: [], cursor: 'log|1', hasMore: false, cursorStatus: 'ok' }),
      closedError: undefined,
    } as unknown as RpcConnection;
    await durable.reattachAll(link);
    return interrupted;
  }

  it('interrupts the turn the cut caught', async () => {
    expect(await reattach({ busy: true, serial: 1 }, { busy: true, serial: 1 })).toHaveLength(1);
  });

  it('leaves alone a turn sent while reconnecting (it waits for the new link; the CLI has not seen it yet)', async () => {
    expect(await reattach({ busy: true, serial: 1 }, { busy: true, serial: 2 })).toEqual([]);
    expect(await reattach({ busy: false, serial: 1 }, { busy: true, serial: 2 })).toEqual([]);
  });
});

describe('DurableSessions re-attach bounds', () => {
  it('sends session.resume, the event-log reads and isProcessing with the re-attach options, not the app’s', async () => {
    const hub = new EventHub();
    hub.attach(new Subject<RpcNotification>());
    const durable = new DurableSessions(hub, () => ({}), () => ({ timeoutMs: 1_234 }));
    durable.open(recordingSession().session);
    const sent: [string, unknown][] = [];
    const link = {
      call: async (method: string, _params: object, options: unknown) => {
        sent.push([method, options]);
        return { sessionId: 's1' };
      },
      request: (method: string, _params: object, options: unknown) => {
        sent.push([method, options]);
        return method === 'session.metadata.isProcessing'
          ? of({ processing: true })
          : of({ events: [], cursor: 'log|1', hasMore: false, cursorStatus: 'ok' });
      },
      closedError: undefined,
    } as unknown as RpcConnection;
    await durable.reattachAll(link);
    expect(sent).toEqual([
      ['session.resume', { timeoutMs: 1_234 }],
      ['session.eventLog.read', { timeoutMs: 1_234 }],
      ['session.metadata.isProcessing', { timeoutMs: 1_234 }],
    ]);
  });
});
