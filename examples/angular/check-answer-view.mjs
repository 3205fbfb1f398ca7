// Runs the compiled example's pipeline under Angular's real toSignal, outside any app: a fake turn
// goes in, the signal's values come out (printed as JSON for the test that runs this script).
import { Injector } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Subject, VirtualTimeScheduler } from 'rxjs';
import { answerView, EMPTY_ANSWER } from './dist/answerView.js';

const scheduler = new VirtualTimeScheduler();
const turn = new Subject();
const injector = Injector.create({ providers: [] });
const view = toSignal(answerView(turn, scheduler), { injector, initialValue: EMPTY_ANSWER });

const seen = [view()];
const delta = (text) => turn.next({ type: 'assistant.message_delta', data: { messageId: 'm1', deltaContent: text } });
delta('Hello');
seen.push(view());
delta(', wor');
delta('ld');
scheduler.flush();
seen.push(view());
turn.next({ type: 'assistant.message', data: { messageId: 'm1', content: 'Hello, world!' } });
turn.complete();
scheduler.flush();
seen.push(view());
const observedBeforeDestroy = turn.observed;

// A second turn, left running: destroying the injector (the component) must unsubscribe from it.
const second = new Subject();
toSignal(answerView(second, scheduler), { injector, initialValue: EMPTY_ANSWER });
const secondObserved = second.observed;
injector.destroy();
console.log(JSON.stringify({ seen, observedBeforeDestroy, secondObserved, secondObservedAfterDestroy: second.observed }));
