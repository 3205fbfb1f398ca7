/**
 * The operators of @copilot-rx/operators work unchanged on fleet streams: one pipeline over a local
 * session and over the same session read back from the fleet gives the same result, on recorded
 * real-CLI traffic (a transcript replayed to the host's client).
 */
import path from 'node:path';
import { from, firstValueFrom, lastValueFrom, toArray, type Observable, type OperatorFunction, map, takeWhile, combineLatest, last } from 'rxjs';
import { approveAll, CopilotRxClient, defineTool, streamTransport, type SessionEvent } from '@copilot-rx/core';
import { accumulateText, ofType, usageTotals } from '@copilot-rx/operators';
import { CopilotFleet, FleetHost } from '@copilot-rx/fleet';
import { replayTranscript } from '@copilot-rx/testing';
import { natsServerTool, startNatsServer, type NatsServer } from './natsServer';

jest.setTimeout(240_000);

const transcript = path.join(__dirname, '..', '..', 'fixtures', 'transcripts', 'raw-capi-tool.jsonl');

/** One pipeline, written once: the final text, the usage totals and the tool names of a turn. */
const summarize: OperatorFunction<SessionEvent, unknown> = (events$: Observable<SessionEvent>) =>
  combineLatest([
    events$.pipe(accumulateText(), last(), map((snapshot) => snapshot.text)),
    events$.pipe(usageTotals(), last()),
    events$.pipe(ofType('tool.execution_start'), map((e) => e.data.toolName), toArray()),
  ]);

natsServerTool.describe('operators over a remote session', () => {
  let nats: NatsServer;
  beforeAll(async () => (nats = await startNatsServer()));
  afterAll(() => nats?.dispose());

  it('give the same result as over the local session, on the same recorded traffic', async () => {
    const replay = await replayTranscript(transcript);
    const client = new CopilotRxClient({ transport: streamTransport(replay.connectInMemory()) });
    const host = new FleetHost({ host: 'recorded', nats: { connect: { servers: nats.url } }, clients: [client] });
    const fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url } } });
    try {
      await host.start();
      const weather = defineTool({
        name: 'get_weather',
        description: 'Get the current weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        handler: () => 'Sunny in Paris, 21C',
      });
      const session = await client.createSession({ model: 'claude-sonnet-4.5', tools: [weather], onPermissionRequest: approveAll });
      host.adopt(session, client);
      // The local pipeline runs on the live turn, as an app on the host would.
      const turn = await lastValueFrom(session.send('What is the weather in Paris?').pipe(toArray()));
      const local = await lastValueFrom(from(turn).pipe(summarize));
      const remoteTurn = fleet
        .session('recorded', session.id)
        .eventsFrom('start')
        .pipe(takeWhile((event) => event.id !== turn.at(-1)!.id, true));
      const remote = await firstValueFrom(remoteTurn.pipe(summarize));
      expect(turn.length).toBeGreaterThan(10);
      expect(remote).toEqual(local);
      expect((local as [string, unknown, string[]])[2]).toEqual(['get_weather']);
    } finally {
      await fleet.close();
      await host.stop();
      await client.forceStop();
    }
  });
});
