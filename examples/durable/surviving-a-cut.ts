// Sessions that survive: a turn keeps streaming across a lost connection, with nothing lost or doubled.
//
// The real Copilot CLI runs as a TCP server (offline, against the scripted model of @copilot-rx/testing).
// A second connection holds the session, as a host process or a dashboard server would; the client
// reaches the CLI through a link proxy, which cuts the link in the middle of the answer. The client
// reconnects (`reconnect`), resumes the session with its handlers, reads what it missed from the CLI's
// event log, and the turn ends with exactly the text of the final message.
//
//   npx tsx --tsconfig examples/durable/tsconfig.json examples/durable/surviving-a-cut.ts
//
// In your own app: `transport` as a function (so the link can be opened again) and `reconnect`.
import { randomUUID } from 'node:crypto';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { CopilotRxClient, spawnTcpTransport, tcpTransport } from '@copilot-rx/core';
import { createCliSandbox, startLinkProxy, startScriptedModelEndpoint } from '@copilot-rx/testing';

async function main(): Promise<void> {
  const endpoint = await startScriptedModelEndpoint();
  const sandbox = await createCliSandbox({});
  const connectionToken = randomUUID();
  const cliOptions = { cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' as const, connectionToken };
  // The holder: it spawned the CLI server and keeps the session attached while the client's link is down.
  const holder = new CopilotRxClient({ transport: spawnTcpTransport(cliOptions) });
  await holder.start();
  const proxy = await startLinkProxy({ targetPort: holder.port! });
  const client = new CopilotRxClient({
    transport: () => tcpTransport({ port: proxy.port, connectionToken }),
    reconnect: { maxAttempts: 5, delayMs: 100 },
  });
  try {
    await client.start();
    client.state$.subscribe((state) => {
      if (state.status === 'reconnecting') console.log(`link lost: reconnecting (attempt ${state.attempt})`);
      if (state.status === 'connected') console.log('connected');
    });
    const config = {
      streaming: true,
      model: 'claude-sonnet-4.5',
      provider: endpoint.byokProvider(),
      systemMessage: { mode: 'replace' as const, content: 'You are a helpful assistant.' },
      availableTools: [],
    };
    const session = await client.createSession(config);
    await holder.resumeSession(session.id, config);

    let deltas = 0;
    const events = await lastValueFrom(
      session.send('Tell me a long story. [[chunks 600]] [[pace 2]]').pipe(
        tap((event) => {
          if (event.type === 'assistant.message_delta' && ++deltas === 200) {
            console.log('cutting the link after 200 deltas');
            proxy.cut();
          }
        }),
        toArray(),
      ),
    );
    const text = events.flatMap((event) => (event.type === 'assistant.message_delta' ? [event.data.deltaContent] : [])).join('');
    const final = events.flatMap((event) => (event.type === 'assistant.message' ? [event.data.content] : [])).at(-1);
    console.log(`deltas: ${deltas}, distinct ids: ${new Set(events.map((event) => event.id)).size} of ${events.length} events`);
    console.log(`streamed text equals the final message: ${text === final}`);
  } finally {
    await client.stop();
    await holder.stop();
    await proxy.close();
    await endpoint.close();
    await sandbox.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
