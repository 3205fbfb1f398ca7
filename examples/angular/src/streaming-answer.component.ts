import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { share, switchMap } from 'rxjs';
import type { RxSession } from '@copilot-rx/core';
import { answerView, EMPTY_ANSWER } from './answerView';

/**
 * Sends `prompt` in `session` and renders the answer as it streams, with its token count.
 *
 * The turn is an Observable (`session.send` is cold: it sends when subscribed); `toSignal` subscribes
 * for as long as the component lives and turns it into a signal the template reads. A new prompt
 * switches to a new turn: `switchMap` unsubscribes from the old one, which aborts it on the CLI, and
 * so does destroying the component.
 *
 * ```html
 * <copilot-streaming-answer [session]="session" [prompt]="'Explain Observables in three sentences.'" />
 * ```
 */
@Component({
  selector: 'copilot-streaming-answer',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="answer">{{ view().text }}</p>
    <small class="meta">{{ view().tokens }} tokens{{ view().done ? '' : ' · streaming…' }}</small>
    @if (view().error; as error) {
      <p class="error">{{ error }}</p>
    }
  `,
})
export class StreamingAnswerComponent {
  readonly session = input.required<RxSession>();
  readonly prompt = input.required<string>();

  readonly #turn = computed(() => ({ session: this.session(), prompt: this.prompt() }));

  /**
   * The view of the current turn. `share()` makes the two operators inside `answerView` read one
   * turn (one `session.send`), not send the prompt twice.
   */
  readonly view = toSignal(
    toObservable(this.#turn).pipe(switchMap(({ session, prompt }) => answerView(session.send({ prompt }).pipe(share())))),
    { initialValue: EMPTY_ANSWER },
  );

  readonly streaming = computed(() => !this.view().done);
}
