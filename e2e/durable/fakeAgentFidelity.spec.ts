/**
 * The fake agent's behaviour around a lost link matches the real CLI's: the same scenario on both
 * (a session's only link cut after a turn, a new attachment, catch-up from the event log), compared
 * as what a client sees on the wire: the cursor's form, the persisted events after the cut, the read's
 * status, the persisted history, and an expired cursor's fallback.
 */
import { randomUUID } from 'node:crypto';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { CopilotRxClient, tcpTransport, type SessionConfig } from '@copilot-rx/core';
import { FakeCopilotAgent, startLinkProxy, type LinkProxy } from '@copilot-rx/testing';
import { startDurableRig, type DurableRig } from './durableRig';

jest.setTimeout(120_000);

interface Backend {
  readonly proxy: LinkProxy;
  readonly token: string;
  readonly config: SessionConfig;
}

async function scenario({ proxy, token, config }: Backend) {
  const open = async () => {
    const client = new CopilotRxClient({ transport: tcpTransport({ port: proxy.port, connectionToken: token }) });
    await client.start();
    return client;
  };
  const first = await open();
  const session = await first.createSession(config);
  await lastValueFrom(session.send('Hello. [[chunks 3]]').pipe(toArray()));
  const { cursor } = await session.rpc.eventLog.tail();
  proxy.cut();
  await firstValueFrom(first.state$.pipe(filter((state) => state.status === 'closed')));

  const second = await open();
  try {
    const resumed = await second.resumeSession(session.id, { ...config, continuePendingWork: true });
    const afterCut = await resumed.rpc.eventLog.read({ cursor, max: 1000, includeEphemeral: false });
    const expired = await resumed.rpc.eventLog.read({ cursor: `${randomUUID()}|3`, max: 1, includeEphemeral: false });
    const history = await resumed.getMessages();
    return {
      cursorForm: /^[^|]+\|\d+$/.test(cursor),
      afterCut: { types: afterCut.events.map((event) => event['type']), status: afterCut.cursorStatus, hasMore: afterCut.hasMore },
      expired: { status: expired.cursorStatus, first: expired.events[0]?.['type'] },
      history: history.map((event) => event.type),
    };
  } finally {
    await second.stop();
  }
}

let rig: DurableRig | undefined;
let fake: FakeCopilotAgent | undefined;
let fakeProxy: LinkProxy | undefined;
afterAll(async () => {
  await rig?.dispose();
  await fakeProxy?.close();
  await fake?.close();
});

it('a cut only link, then catch-up: the fake agent shows a client what the real CLI shows', async () => {
  rig = await startDurableRig();
  const real = await scenario({ proxy: rig.proxy, token: rig.token, config: rig.sessionConfig() });
  const token = 'fidelity-token';
  fake = new FakeCopilotAgent({ connectionToken: token });
  fakeProxy = await startLinkProxy({ targetPort: (await fake.listen()).port });
  const faked = await scenario({ proxy: fakeProxy, token, config: { streaming: true } });
  expect(real.afterCut.types).toEqual(['session.shutdown', 'session.resume']);
  expect(faked).toEqual(real);
});
