/**
 * A session's event stream drawn as a marble string, over the TestScheduler that is running.
 */
import type { Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { SessionEvent } from '@copilot-rx/core';
import { runningTestScheduler } from './testScheduler.js';

/** What `expectSubscriptions` reads: when the marble stream was subscribed and unsubscribed. */
export type SubscriptionLogs = ReturnType<TestScheduler['createColdObservable']>['subscriptions'];

export interface SessionEventsConfig {
  /**
   * A hot stream, as a session's `events$` is (frames before `^` happen before the test subscribes).
   * Default false: a cold stream, as one `send()` turn is.
   */
  readonly hot?: boolean;
  /** The value of `#` in the marbles (e.g. a `ConnectionClosedError`). */
  readonly error?: unknown;
  /** The scheduler to draw on. Default: the `createTestScheduler()` whose `run()` is in progress. */
  readonly scheduler?: TestScheduler;
}

/**
 * Draws a stream of session events: `sessionEvents('-a-b-|', { a: ev.messageDelta('Hel'), b: ev.sessionIdle() })`.
 * The values are the events themselves (build them with `createEventFactory()`), so the stream carries
 * the same envelopes an expectation can reuse; a letter used twice is the same event twice, as a
 * re-sent duplicate is on the wire.
 *
 * @returns a cold (default) or hot Observable whose `subscriptions` feed `expectSubscriptions`.
 * @throws Error when called outside `createTestScheduler().run(...)` without a `scheduler`, or when a
 * letter in `marbles` has no value.
 */
export function sessionEvents<E extends SessionEvent>(
  marbles: string,
  values: Readonly<Record<string, E>> = {},
  config: SessionEventsConfig = {},
): Observable<E> & { readonly subscriptions: SubscriptionLogs } {
  const scheduler = config.scheduler ?? runningTestScheduler();
  if (scheduler === undefined) {
    throw new Error('sessionEvents() draws on a running TestScheduler: call it inside createTestScheduler().run(...) or pass { scheduler }');
  }
  for (const letter of valueLetters(marbles)) {
    if (!(letter in values)) throw new Error(`sessionEvents(): "${letter}" in ${JSON.stringify(marbles)} has no value; give it one in values`);
  }
  const valueMap = values as Record<string, E>;
  return config.hot === true
    ? scheduler.createHotObservable<E>(marbles, valueMap, config.error)
    : scheduler.createColdObservable<E>(marbles, valueMap, config.error);
}

/** The characters of a marble string that stand for values (not time, grouping or control). */
function valueLetters(marbles: string): Set<string> {
  // Time progressions like "10ms" are not values; drop them before looking at single characters.
  const withoutTime = marbles.replace(/\d+(\.\d+)?(ms|s|m)/g, ' ');
  const letters = new Set<string>();
  for (const character of withoutTime) if (!' -|#^!()'.includes(character)) letters.add(character);
  return letters;
}
