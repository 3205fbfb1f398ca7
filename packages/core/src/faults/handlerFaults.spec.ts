/**
 * The fault suite, part 2: the app's handlers misbehave. Each of permission, tool, user-input and
 * auto-mode-switch handlers throws, rejects, errors as an Observable, completes empty, returns
 * garbage or never answers; in every case the stand-in CLI process receives the safe answer (deny,
 * failed result, decline, "no") at once or at the configured deadline, the failure is reported on
 * `answerFailures$` with its reason, the turn ends, and no promise rejection goes unhandled.
 */
import { EMPTY, NEVER, throwError } from 'rxjs';
import { HandlerTimeoutError, InvalidHandlerAnswerError } from '../errors';
import type { AnswerFailureReason } from '../session/host';
import type { SessionConfig } from '../session/config';
import { defineTool } from '../session/tools';
import { echoedAnswer, goneWithin, runTurn, startOn, type Fault } from '../testSupport/faultSuite';

jest.setTimeout(20_000);

const DEADLINE_MS = 200;
const SLACK_MS = 1_500;

type Behaviour =
  | 'throws'
  | 'rejects'
  | 'errors'
  | 'completes empty'
  | 'returns garbage'
  | 'returns undefined'
  | 'never answers'
  | 'never emits';

/** What each misbehaving handler does; `garbage` is a wrong answer of the handler's own kind. */
function misbehave(behaviour: Behaviour, garbage: unknown, seen: { signal?: AbortSignal }) {
  return (_request: unknown, context: { signal: AbortSignal }): never => {
    seen.signal = context.signal;
    const answers: Record<Behaviour, () => unknown> = {
      throws: () => {
        throw new Error('handler broke');
      },
      rejects: () => Promise.reject(new Error('handler broke')),
      errors: () => throwError(() => new Error('handler broke')),
      'completes empty': () => EMPTY,
      'returns garbage': () => garbage,
      'returns undefined': () => undefined,
      'never answers': () => new Promise(() => undefined),
      'never emits': () => NEVER,
    };
    return answers[behaviour]() as never;
  };
}

const REASON: Record<Behaviour, AnswerFailureReason> = {
  throws: 'handler-failed',
  rejects: 'handler-failed',
  errors: 'handler-failed',
  'completes empty': 'invalid-answer',
  'returns garbage': 'invalid-answer',
  'returns undefined': 'invalid-answer',
  'never answers': 'handler-timeout',
  'never emits': 'handler-timeout',
};

interface HandlerCase {
  readonly fault: Fault;
  readonly method: string;
  readonly garbage: unknown;
  readonly behaviours: readonly Behaviour[];
  config(handler: ReturnType<typeof misbehave>): SessionConfig;
  /** The safe answer, as the stand-in echoed it. */
  expectSafeAnswer(echoed: Record<string, unknown> | undefined): void;
}

// 'never emits' (an Observable that never settles) is covered once, for permissions, to keep the suite short.
const ALL: readonly Behaviour[] = ['throws', 'rejects', 'errors', 'completes empty', 'returns garbage', 'returns undefined', 'never answers'];

const CASES: Record<string, HandlerCase> = {
  permission: {
    fault: 'ask-permission',
    method: 'session.permissions.handlePendingPermissionRequest',
    garbage: { kind: 'bogus' },
    behaviours: [...ALL, 'never emits'],
    config: (handler) => ({ onPermissionRequest: handler, handlerTimeouts: { permission: DEADLINE_MS } }),
    expectSafeAnswer: (echoed) => {
      expect(echoed).toMatchObject({ kind: 'permission', requestId: 'perm-1', result: { kind: 'reject' } });
      expect((echoed?.['result'] as { feedback: string }).feedback).toMatch(/^Permission denied by copilot-rx: /);
    },
  },
  tool: {
    fault: 'call-tool',
    method: 'session.tools.handlePendingToolCall',
    garbage: { textResultForLlm: 42 },
    // A tool that returns nothing answers "" (the official SDK's rule), so undefined is not garbage here.
    behaviours: ALL.filter((behaviour) => behaviour !== 'returns undefined'),
    config: (handler) => ({
      tools: [defineTool({ name: 'deploy', handler: handler as never })],
      handlerTimeouts: { tool: DEADLINE_MS },
    }),
    expectSafeAnswer: (echoed) => {
      expect(echoed).toMatchObject({ kind: 'tool', requestId: 'tool-1', result: { resultType: 'failure' } });
      expect((echoed?.['result'] as { textResultForLlm: string }).textResultForLlm).toMatch(/^Tool 'deploy' failed/);
    },
  },
  userInput: {
    fault: 'ask-user',
    method: 'userInput.request',
    garbage: { answer: 7 },
    behaviours: ALL,
    config: (handler) => ({ onUserInput: handler, handlerTimeouts: { userInput: DEADLINE_MS } }),
    expectSafeAnswer: (echoed) => {
      expect(echoed).toMatchObject({ kind: 'userInput', id: 'ask-1' });
      expect(echoed?.['result']).toBeUndefined();
      expect((echoed?.['error'] as { message: string }).message).toMatch(/the user did not answer \(copilot-rx declined: /);
    },
  },
  autoModeSwitch: {
    fault: 'offer-auto-mode',
    method: 'session.ui.handlePendingAutoModeSwitch',
    garbage: 'maybe',
    behaviours: ALL,
    config: (handler) => ({ onAutoModeSwitch: handler, handlerTimeouts: { autoModeSwitch: DEADLINE_MS } }),
    expectSafeAnswer: (echoed) => expect(echoed).toMatchObject({ kind: 'autoModeSwitch', requestId: 'ams-1', response: 'no' }),
  },
};

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe.each(Object.entries(CASES))('a %s handler that misbehaves', (_kind, handlerCase) => {
  it.each(handlerCase.behaviours.map((behaviour) => [behaviour]))('%s: the safe answer is sent, the failure reported', async (behaviour) => {
    const { client, pid, answerFailures } = await startOn(handlerCase.fault);
    const seen: { signal?: AbortSignal } = {};
    const { events, error, ms } = await runTurn(client, handlerCase.config(misbehave(behaviour, handlerCase.garbage, seen)));
    expect(error).toBeUndefined();
    handlerCase.expectSafeAnswer(echoedAnswer(events));
    expect(events.at(-1)?.type).toBe('session.idle');
    expect(answerFailures).toEqual([expect.objectContaining({ method: handlerCase.method, reason: REASON[behaviour] })]);
    const reported = answerFailures[0]?.error;
    if (REASON[behaviour] === 'handler-timeout') {
      expect(reported).toBeInstanceOf(HandlerTimeoutError);
      expect(seen.signal?.aborted).toBe(true);
      expect(seen.signal?.reason).toBe(reported);
      expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 10);
    } else if (REASON[behaviour] === 'invalid-answer') {
      expect(reported).toBeInstanceOf(InvalidHandlerAnswerError);
    }
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    await client.stop();
    expect(await goneWithin(pid, 1_000)).toBe(true);
    // A rejection surfaces on the next turns of the event loop, if at all.
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });
});
