import * as t from 'io-ts';
import { EMPTY, NEVER, Observable, of, throwError } from 'rxjs';
import { HandlerTimeoutError, InvalidHandlerAnswerError } from '../errors';
import { askHandler, type HandlerOutcome } from './askHandler';

const Answer = t.type({ answer: t.string });

function ask(produce: () => unknown, timeoutMs?: number, controller = new AbortController()) {
  return askHandler(produce as never, Answer, { handler: 'userInput', subject: 'q-1', timeoutMs, controller });
}

const failed = (outcome: HandlerOutcome<unknown>) => (outcome._tag === 'Failed' ? outcome : undefined);

describe('askHandler', () => {
  it('settles a value, a Promise, and an Observable (its last value)', async () => {
    expect(await ask(() => ({ answer: 'a' }))).toEqual({ _tag: 'Answered', value: { answer: 'a' } });
    expect(await ask(() => Promise.resolve({ answer: 'b' }))).toEqual({ _tag: 'Answered', value: { answer: 'b' } });
    expect(await ask(() => of({ answer: 'x' }, { answer: 'c' }))).toEqual({ _tag: 'Answered', value: { answer: 'c' } });
  });

  it('turns a throw, a rejection and an Observable error into handler-failed, never a rejection', async () => {
    const boom = new Error('boom');
    for (const produce of [
      () => {
        throw boom;
      },
      () => Promise.reject(boom),
      () => throwError(() => boom),
    ]) {
      expect(await ask(produce)).toEqual({ _tag: 'Failed', reason: 'handler-failed', error: boom });
    }
  });

  it('rejects undefined, a wrong shape and an empty Observable as invalid-answer, quoting what came back', async () => {
    for (const produce of [() => undefined, () => ({ answer: 42 }), () => EMPTY, () => Promise.resolve(null)]) {
      const outcome = failed(await ask(produce));
      expect(outcome?.reason).toBe('invalid-answer');
      expect(outcome?.error).toBeInstanceOf(InvalidHandlerAnswerError);
    }
    const wrong = failed(await ask(() => ({ answer: 42 })))?.error as InvalidHandlerAnswerError;
    expect(wrong.message).toMatch(/answered \{"answer":42\}.*answer: expected string, got 42/);
  });

  it('describes a huge or deep answer within bounds', async () => {
    let deep: unknown = 'end';
    for (let i = 0; i < 10_000; i++) deep = { deep };
    const outcome = failed(await ask(() => ({ answer: deep, more: 'x'.repeat(1_000_000) })));
    expect((outcome?.error as Error).message.length).toBeLessThan(1_000);
  });

  it('describes an answer with a huge key, or very many keys, within bounds', async () => {
    const hugeKey = failed(await ask(() => ({ [`k${'x'.repeat(1_000_000)}`]: 1 })));
    expect((hugeKey?.error as Error).message.length).toBeLessThan(1_000);
    const manyKeys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`key${i}`, i]));
    const many = failed(await ask(() => manyKeys));
    expect((many?.error as Error).message).toMatch(/answered \{"key0":0,"key1":1,.*…/);
    expect((many?.error as Error).message.length).toBeLessThan(1_000);
  });

  it('at the deadline: handler-timeout, the signal fires with the error, a pending Observable is unsubscribed', async () => {
    const controller = new AbortController();
    let unsubscribed = false;
    const pending = new Observable<never>(() => () => (unsubscribed = true));
    const outcome = failed(await ask(() => pending, 30, controller));
    expect(outcome?.reason).toBe('handler-timeout');
    expect(outcome?.error).toBeInstanceOf(HandlerTimeoutError);
    expect(outcome?.error).toMatchObject({ code: 'HANDLER_TIMEOUT', handler: 'userInput', timeoutMs: 30 });
    expect(controller.signal.reason).toBe(outcome?.error);
    expect(unsubscribed).toBe(true);
  });

  it('a rejection after the deadline is handled, not left unhandled', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      let reject!: (error: Error) => void;
      const late = new Promise((_, r) => (reject = r));
      expect(failed(await ask(() => late, 10))?.reason).toBe('handler-timeout');
      reject(new Error('too late'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('no deadline: NEVER stays pending (a tool may run as long as it likes)', async () => {
    const outcome = await Promise.race([ask(() => NEVER), new Promise((resolve) => setTimeout(() => resolve('pending'), 50))]);
    expect(outcome).toBe('pending');
  });
});
