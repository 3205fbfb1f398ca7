/**
 * A remote turn whose host's CLI link breaks under it: the host's client reconnects and resumes the
 * session, and its local turn fails with core's TurnInterruptedError (the work is gone, no idle will
 * come). The host tells the consumer with a `turn.failed` record, and the remote turn fails with
 * FleetTurnFailedError carrying that code; the session stays hosted and takes the next turn. The host runs in this process with the in-process fake
 * agent behind a link proxy this test cuts; the consumer reaches it only through nats-server.
 */
import { filter, firstValueFrom, lastValueFrom, throwError, timeout, toArray } from 'rxjs';
import { CopilotRxClient, tcpTransport } from '@copilot-rx/core';
import { CopilotFleet, FleetHost, FleetTurnFailedError } from '@copilot-rx/fleet';
import { FakeCopilotAgent, startLinkProxy, type LinkProxy } from '@copilot-rx/testing';
import { natsServerTool, startNatsServer, type NatsServer } from './natsServer';

jest.setTimeout(120_000);

const token = 'fleet-interrupted-token';

natsServerTool.describe('a remote turn interrupted on its host', () => {
  let nats: NatsServer;
  let agent: FakeCopilotAgent;
  let proxy: LinkProxy;
  let client: CopilotRxClient;
  let host: FleetHost;
  let fleet: CopilotFleet;

  beforeAll(async () => {
    nats = await startNatsServer();
    agent = new FakeCopilotAgent({ connectionToken: token });
    proxy = await startLinkProxy({ targetPort: (await agent.listen()).port });
    client = new CopilotRxClient({ transport: () => tcpTransport({ port: proxy.port, connectionToken: token }), reconnect: { maxAttempts: 10, delayMs: 20 } });
    host = new FleetHost({ host: 'cut', nats: { connect: { servers: nats.url } }, clients: [client] });
    await host.start();
    fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url } } });
  });
  afterAll(async () => {
    await fleet?.close();
    await host?.stop();
    await client?.stop();
    await proxy?.close();
    await agent?.close();
    await nats?.dispose();
  });

  it('fails with FleetTurnFailedError (TURN_INTERRUPTED) when the link to the CLI breaks mid-turn', async () => {
    const session = await fleet.createSession('cut');
    let deltas = 0;
    const cutAfter50 = client.events$.subscribe(({ sessionId, event }) => {
      if (sessionId === session.id && event.type === 'assistant.message_delta' && ++deltas === 50) proxy.cut();
    });
    try {
      const error = await lastValueFrom(
        session.send('Long. [[chunks 300]] [[pace 1]]').pipe(timeout({ each: 60_000, with: () => throwError(() => new Error('the remote turn went 60 s without an event and without an end')) })),
      ).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(FleetTurnFailedError);
      expect(error).toMatchObject({ host: 'cut', sessionId: session.id, reason: 'TURN_INTERRUPTED' });
    } finally {
      cutAfter50.unsubscribe();
    }
    // The client resumed the session on its new link: the host still holds it, and it takes the next turn.
    const next = await lastValueFrom(session.send('Again [[chunks 2]]').pipe(toArray()));
    expect(next.at(-1)!.type).toBe('session.idle');
    const sessions = await firstValueFrom(fleet.sessions$.pipe(filter((all) => all.some((s) => s.sessionId === session.id && s.state === 'idle'))));
    expect(sessions.find((s) => s.sessionId === session.id)!.state).toBe('idle');
  });
});
