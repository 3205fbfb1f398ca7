// Recipe 3, multiple subscribers: one turn shared by a UI view, a logger and a metrics collector.
//
// session.send() is cold: each subscription would send the prompt again. share() makes one turn that
// all three watch (hot): each sees every event from the moment it subscribed. A subscriber that joins
// late misses what came before it, unless the stream replays: with shareReplay() a late subscriber
// gets the whole turn so far, then the rest live.
import { filter, lastValueFrom, share, shareReplay, type Observable } from 'rxjs';
import type { SessionEvent } from '@copilot-rx/core';
import { accumulateText, streamMetrics } from '@copilot-rx/operators';
import { runRecipe } from './backend.js';

const isDelta = (event: SessionEvent) => event.type === 'assistant.message_delta';

runRecipe(async ({ client, sessionConfig, prompt }) => {
  const session = await client.createSession(sessionConfig());
  const turn$ = session.send(prompt('How do I stream an answer to a WebSocket client?')).pipe(share());

  // The UI view: the answer as it grows.
  let view = '';
  turn$.pipe(accumulateText()).subscribe((snapshot) => (view = snapshot.text));
  // The logger: every event, counted by type.
  const logged = new Map<string, number>();
  turn$.subscribe((event) => logged.set(event.type, (logged.get(event.type) ?? 0) + 1));
  // The metrics collector.
  let pace = '';
  turn$.pipe(streamMetrics()).subscribe((m) => (pace = `time to first token ${m.timeToFirstTokenMs} ms, ${m.deltas} deltas`));
  // A late subscriber: joins at the fifth answer delta, and sees only the ones after it.
  let seen = 0;
  let lateSaw = 0;
  turn$.pipe(filter(isDelta)).subscribe(() => {
    if (++seen === 5) turn$.pipe(filter(isDelta)).subscribe(() => lateSaw++);
  });

  await lastValueFrom(turn$); // a fourth subscriber: shared too, nothing is sent twice
  const events = [...logged.values()].reduce((a, b) => a + b, 0);
  console.log(`view: ${view.length} characters, ending "${view.slice(-40)}"`);
  // One user.message: four subscribers, one prompt sent.
  console.log(`logger: ${events} events of ${logged.size} types, ${logged.get('assistant.message_delta')} answer deltas, user.message x${logged.get('user.message')}`);
  console.log(`metrics: ${pace}`);
  console.log(`late subscriber (share): joined at delta 5 of ${seen}, saw ${lateSaw}`);

  // The same late join on a replaying turn: it gets every delta, the missed ones first.
  const replayed$ = session.send(prompt('Explain Observables in two sentences.')).pipe(shareReplay());
  await lastValueFrom(replayed$);
  console.log(`late subscriber (shareReplay): joined after the end, saw ${await count(replayed$.pipe(filter(isDelta)))} deltas`);
  await session.destroy();

  function count(source$: Observable<unknown>): Promise<number> {
    let n = 0;
    return new Promise((resolve, reject) => source$.subscribe({ next: () => n++, error: reject, complete: () => resolve(n) }));
  }
});
