import type { SessionEvent } from '../codecs/sessionEvent';
import { HeldRoute } from './heldRoute';

const event = (id: string) => ({ id, type: 'session.info', data: {} }) as unknown as SessionEvent;

function recorder() {
  const delivered: string[] = [];
  const ends: unknown[] = [];
  return { delivered, ends, target: { deliver: (e: SessionEvent) => void delivered.push(e.id), end: (error?: unknown) => void ends.push(error ?? 'completed') } };
}

describe('HeldRoute', () => {
  it('passes live events through until held', () => {
    const { delivered, target } = recorder();
    const route = new HeldRoute(target);
    route.deliver(event('a'));
    expect(delivered).toEqual(['a']);
    expect(route.held).toBe(false);
  });

  it('while held, history goes first and the waiting live events follow on release, in order', () => {
    const { delivered, target } = recorder();
    const route = new HeldRoute(target);
    route.hold();
    route.deliver(event('live-1'));
    route.deliver(event('live-2'));
    route.deliverHistory(event('old-1'));
    route.deliverHistory(event('old-2'));
    expect(delivered).toEqual(['old-1', 'old-2']);
    route.release();
    expect(delivered).toEqual(['old-1', 'old-2', 'live-1', 'live-2']);
    route.deliver(event('live-3'));
    expect(delivered.at(-1)).toBe('live-3');
  });

  it('history that reaches a waiting event delivers it at that point', () => {
    const { delivered, target } = recorder();
    const route = new HeldRoute(target);
    route.hold();
    route.deliver(event('b'));
    route.deliver(event('c'));
    route.deliverHistory(event('a'));
    route.deliverWaiting('b');
    route.deliverHistory(event('b2'));
    route.release();
    expect(delivered).toEqual(['a', 'b', 'b2', 'c']);
  });

  it('waiting events that came out of log order go at their places in the history, not in wire order', () => {
    const { delivered, target } = recorder();
    const route = new HeldRoute(target);
    route.hold();
    for (const id of ['4', '5', '3', '6']) route.deliver(event(id));
    route.deliverHistory(event('2'));
    for (const id of ['3', '4', '5']) route.deliverWaiting(id);
    expect(delivered).toEqual(['2', '3', '4', '5']);
    route.release();
    expect(delivered).toEqual(['2', '3', '4', '5', '6']);
  });

  it('history repeating an event that no longer waits (delivered before the cut) changes nothing', () => {
    const { delivered, target } = recorder();
    const route = new HeldRoute(target);
    route.hold();
    route.deliver(event('b'));
    route.deliverWaiting('a');
    expect(delivered).toEqual([]);
    route.release();
    expect(delivered).toEqual(['b']);
  });

  it('an end while held delivers what waits first, then ends once; later deliveries go nowhere', () => {
    const { delivered, ends, target } = recorder();
    const route = new HeldRoute(target);
    route.hold();
    route.deliver(event('a'));
    const failure = new Error('gone');
    route.end(failure);
    route.end();
    route.deliverHistory(event('late'));
    expect(delivered).toEqual(['a']);
    expect(ends).toEqual([failure]);
  });
});
