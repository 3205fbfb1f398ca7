import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createEventFactory } from './eventFactory';
import { sessionEvents } from './sessionEvents';
import { createTestScheduler } from './testScheduler';

describe('sessionEvents', () => {
  it('draws a cold stream of built events whose subscriptions can be checked', () => {
    const ev = createEventFactory();
    const a = ev.messageDelta('Hel');
    const b = ev.messageDelta('lo');
    createTestScheduler().run(({ expectObservable, expectSubscriptions }) => {
      const events$ = sessionEvents('-a-b-|', { a, b });
      expectObservable(events$).toBe('-a-b-|', { a, b });
      expectSubscriptions(events$.subscriptions).toBe('^----!');
    });
  });

  it('draws a hot stream: what happened before the subscription is missed', () => {
    const ev = createEventFactory();
    const a = ev.messageDelta('early');
    const b = ev.messageDelta('late');
    createTestScheduler().run(({ expectObservable }) => {
      const events$ = sessionEvents('-a-^-b-|', { a, b }, { hot: true });
      expectObservable(events$.pipe(map((event) => event.data.deltaContent))).toBe('--x-|', { x: 'late' });
    });
  });

  it('uses the error value for #', () => {
    const failure = new Error('connection closed');
    createTestScheduler().run(({ expectObservable }) => {
      expectObservable(sessionEvents('--#', {}, { error: failure })).toBe('--#', undefined, failure);
    });
  });

  it('repeats the same event for a letter used twice, as a re-sent duplicate', () => {
    const ev = createEventFactory();
    const a = ev.messageDelta('x');
    createTestScheduler().run(({ expectObservable }) => {
      expectObservable(sessionEvents('a-a|', { a }).pipe(map((event) => event.id))).toBe('a-a|', { a: a.id });
    });
  });

  it('draws on a given plain TestScheduler', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const a = createEventFactory().sessionIdle();
    scheduler.run(({ expectObservable }) => {
      expectObservable(sessionEvents('a|', { a }, { scheduler })).toBe('a|', { a });
    });
  });

  it('says where to call it when no scheduler is running', () => {
    expect(() => sessionEvents('a|', { a: createEventFactory().sessionIdle() })).toThrow(
      'sessionEvents() draws on a running TestScheduler: call it inside createTestScheduler().run(...) or pass { scheduler }',
    );
  });

  it('names a letter that has no value, ignoring time progressions', () => {
    const a = createEventFactory().sessionIdle();
    createTestScheduler().run(() => {
      expect(() => sessionEvents('a 10ms b|', { a })).toThrow('sessionEvents(): "b" in "a 10ms b|" has no value; give it one in values');
    });
  });
});
