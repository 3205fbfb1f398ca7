/**
 * The marble helpers used as an app developer would: a small pipeline a chat UI might write over a
 * session's events, tested with `createTestScheduler`, `createEventFactory` and `sessionEvents`.
 */
import { ofType, type SessionEvent } from '@copilot-rx/core';
import { distinctUntilChanged, map, scan, takeWhile, type OperatorFunction } from 'rxjs';
import { createEventFactory } from './eventFactory';
import { sessionEvents } from './sessionEvents';
import { createTestScheduler } from './testScheduler';

class TurnFailed extends Error {
  override readonly name = 'TurnFailed';
  constructor(
    message: string,
    readonly statusCode: number | undefined,
  ) {
    super(message);
  }
}

/** The reply as the UI shows it: deltas appended, the final message authoritative; done at idle, failed on error. */
function replyText(): OperatorFunction<SessionEvent, string> {
  return (events$) =>
    events$.pipe(
      takeWhile((event) => event.type !== 'session.idle'),
      map((event) => {
        if (event.type === 'session.error') throw new TurnFailed(event.data.message, event.data.statusCode);
        return event;
      }),
      ofType('assistant.message_delta', 'assistant.message'),
      scan((text, event) => (event.type === 'assistant.message' ? event.data.content : text + event.data.deltaContent), ''),
      distinctUntilChanged(),
    );
}

describe('a user pipeline tested with the marble helpers', () => {
  it('shows the text growing, keeps the final message, and completes at idle', () => {
    const ev = createEventFactory();
    const u = ev.userMessage('Say hello');
    const t = ev.turnStart();
    const a = ev.messageDelta('Hel');
    const b = ev.messageDelta('lo');
    const m = ev.message('Hello');
    const e = ev.turnEnd();
    const i = ev.sessionIdle();
    createTestScheduler().run(({ expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const events$ = sessionEvents('ut-a-b-m-e-i-|', { u, t, a, b, m, e, i });
      const reply =                 '---x-y-----|';
      const subscribed =            '^----------!';
      expectObservable(events$.pipe(replyText())).toBe(reply, { x: 'Hel', y: 'Hello' });
      expectSubscriptions(events$.subscriptions).toBe(subscribed);
    });
  });

  it('replaces drifted deltas with the authoritative message', () => {
    const ev = createEventFactory();
    const a = ev.messageDelta('Helo');
    const m = ev.message('Hello');
    createTestScheduler().run(({ expectObservable }) => {
      expectObservable(sessionEvents('a-m-|', { a, m }).pipe(replyText())).toBe('x-y-|', { x: 'Helo', y: 'Hello' });
    });
  });

  it('fails the reply with a typed error on session.error', () => {
    const ev = createEventFactory();
    const a = ev.messageDelta('Hel');
    const x = ev.sessionError('Execution failed: 400 fake upstream failure (400)', { statusCode: 400 });
    createTestScheduler().run(({ expectObservable }) => {
      expectObservable(sessionEvents('a-x-|', { a, x }).pipe(replyText())).toBe(
        'h-#',
        { h: 'Hel' },
        new TurnFailed('Execution failed: 400 fake upstream failure (400)', 400),
      );
    });
  });

  it('unsubscribes from the session when the UI goes away early', () => {
    const ev = createEventFactory();
    const a = ev.messageDelta('a');
    const b = ev.messageDelta('b');
    createTestScheduler().run(({ expectObservable, expectSubscriptions }) => {
      const events$ = sessionEvents('a-b-b-b-b', { a, b }, { hot: true });
      expectObservable(events$.pipe(replyText()), '^--!').toBe('x-y', { x: 'a', y: 'ab' });
      expectSubscriptions(events$.subscriptions).toBe('^--!');
    });
  });
});
