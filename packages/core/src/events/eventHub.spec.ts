import { Subject } from 'rxjs';
import type { RpcNotification } from '../rpc/notification.js';
import type { DecodeFailure } from './decode.js';
import { EventHub } from './eventHub.js';

/** `[[[...]]]` nested `levels` deep, parsed from text (as it comes off the wire). */
const deepArray = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

const envelope = (id: string) => ({ id, timestamp: '2026-11-24T00:00:00.000Z', parentId: null });
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const sessionEvent = (n: number, type: string, data: unknown): RpcNotification => ({
  method: 'session.event',
  params: { sessionId: 's1', event: { ...envelope(uuid(n)), type, data } },
});

function hubWithFeed() {
  const feed = new Subject<RpcNotification>();
  const hub = new EventHub();
  hub.attach(feed);
  const failures: DecodeFailure[] = [];
  const events: string[] = [];
  hub.decodeErrors$.subscribe((f) => failures.push(f));
  hub.events$.subscribe((e) => events.push(e.event.id));
  return { feed, hub, failures, events };
}

describe('EventHub with hostile input', () => {
  it.each([
    ['a known event type', sessionEvent(1, 'assistant.message_delta', { messageId: 'm', deltaContent: deepArray(20_000) })],
    ['session.lifecycle', { method: 'session.lifecycle', params: { type: 'session.created', sessionId: deepArray(20_000) } }],
    ['an envelope field', { method: 'session.event', params: { sessionId: 's1', event: { ...envelope(uuid(1)), timestamp: deepArray(20_000), type: 'x', data: {} } } }],
    ['the session id', { method: 'session.event', params: { sessionId: deepArray(20_000), event: {} } }],
  ])('reports %s whose wrong-typed field is nested 20,000 levels deep, bounded, and delivers the next event', (_, bad) => {
    const { feed, failures, events } = hubWithFeed();
    feed.next(bad as RpcNotification);
    feed.next(sessionEvent(2, 'assistant.message_delta', { messageId: 'm', deltaContent: 'ok' }));
    expect(failures).toHaveLength(1);
    expect(failures[0]!.messages.join('\n')).toMatch(/expected .*, got [[{].*…/);
    expect(failures[0]!.messages.join('\n').length).toBeLessThan(2000);
    expect(events).toEqual([uuid(2)]);
  });

  it('reports a route that throws while an event is delivered on decodeErrors$, and keeps routing', () => {
    const { feed, hub, failures, events } = hubWithFeed();
    const delivered: string[] = [];
    hub.openRoute('s1', {
      deliver: (event) => {
        if (event.id === uuid(1)) throw new Error('route bug');
        delivered.push(event.id);
      },
      end: () => undefined,
    });
    feed.next(sessionEvent(1, 'session.idle', {}));
    feed.next(sessionEvent(2, 'session.idle', {}));
    expect(events).toEqual([uuid(1), uuid(2)]);
    expect(delivered).toEqual([uuid(2)]);
    expect(failures.map((f) => [f.method, f.sessionId, f.messages])).toEqual([
      ['session.event', 's1', ['the event hub failed on this notification: route bug']],
    ]);
  });
});
