/**
 * RemoteSession on stand-in services (a CopilotFleet gives it real ones): what its turns send, and what
 * it needs to see how a turn ends.
 */
import { NEVER, Observable } from 'rxjs';
import type { ControlVerb } from '../subjects';
import { RemoteSession, type RemoteSessionServices } from './RemoteSession';

interface ControlCall {
  readonly verb: ControlVerb;
  readonly body: object;
}

/** Services like a CopilotFleet's: a live feed ready at once and quiet, no hosts listed, control recorded. */
function services(calls: ControlCall[]): RemoteSessionServices {
  return {
    events: () => NEVER,
    feed: (onReady) => new Observable<never>(() => onReady()),
    hosts$: NEVER,
    control: async (_host, verb, _sessionId, body) => (calls.push({ verb, body }), {}),
    reportAbortFailure: () => undefined,
  };
}

describe('RemoteSession', () => {
  it('sends every turn with a fresh turn id, which the host names in its turn.failed record', async () => {
    const calls: ControlCall[] = [];
    const session = new RemoteSession('h', 's', services(calls));
    session.send('one').subscribe();
    session.send({ prompt: 'two', mode: 'enqueue' }).subscribe();
    await Promise.resolve();
    expect(calls).toEqual([
      { verb: 'send', body: { prompt: 'one', turnId: expect.any(String) } },
      { verb: 'send', body: { prompt: 'two', mode: 'enqueue', turnId: expect.any(String) } },
    ]);
    const [first, second] = calls.map((call) => (call.body as { turnId: string }).turnId);
    expect(first).not.toBe(second);
  });

  // Nothing here can fail at run time: the check is the @ts-expect-error, which fails the typecheck
  // (npm run typecheck) should feed or hosts$ become optional.
  it('needs the feed and the hosts watch a turn reads, as the typecheck checks: a session without them would not see how its turn ends', () => {
    const { feed: _feed, hosts$: _hosts, ...rest } = services([]);
    // @ts-expect-error feed and hosts$ are required
    const incomplete: RemoteSessionServices = rest;
    void incomplete;
  });
});
