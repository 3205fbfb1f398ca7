/**
 * `send({ onSent })`: a relay of a turn (the fleet's host) learns when the CLI accepted the prompt,
 * with its answer, and the callback never reaches the wire.
 */
import { NEVER, Subject, type Observable } from 'rxjs';
import type { SessionSendParams } from '../codecs/methods/index';
import type { SessionEvent } from '../codecs/sessionEvent';
import { turn, type SendOptions, type TurnContext } from './turn';

function turnWith(options: SendOptions) {
  const answer = new Subject<unknown>();
  const sent: SessionSendParams[] = [];
  const calls = { aborted: 0 };
  const context: TurnContext = {
    sessionId: 's1',
    events$: NEVER as Observable<SessionEvent>,
    isBusy: () => false,
    markBusy: () => undefined,
    markIdle: () => undefined,
    handlerActivity: () => -Infinity,
    sendRequest: (params) => {
      sent.push(params);
      return answer;
    },
    abort: async () => void calls.aborted++,
    reportAbortFailure: () => undefined,
  };
  return { turn$: turn(context, options), answer, sent, calls };
}

describe('turn with onSent', () => {
  it('is called once with the answer to session.send, and is not sent to the CLI', () => {
    const answers: unknown[] = [];
    const t = turnWith({ prompt: 'hi', onSent: (answer) => answers.push(answer) });
    t.turn$.subscribe();
    expect(t.sent).toEqual([{ prompt: 'hi', sessionId: 's1' }]);
    expect(answers).toEqual([]);
    t.answer.next({ messageId: 'm1' });
    expect(answers).toEqual([{ messageId: 'm1' }]);
  });

  it('ends the turn with what it throws, and aborts the turn on the CLI', () => {
    const boom = new Error('relay gone');
    const t = turnWith({
      prompt: 'hi',
      onSent: () => {
        throw boom;
      },
    });
    const errors: unknown[] = [];
    t.turn$.subscribe({ error: (error) => errors.push(error) });
    t.answer.next({ messageId: 'm1' });
    expect(errors).toEqual([boom]);
    expect(t.calls.aborted).toBe(1);
  });
});
