// The protocol walk-through again, one layer up: the same conversation as walkthrough.ts, but the
// framing, the request/answer correlation and the "never let a bad frame escape" discipline come
// from copilot-rx's own RpcConnection instead of hand-written code. Still no CopilotRxClient: the
// handshake, the session and the answers to the CLI's requests are the app's own, checked by core's
// io-ts codecs. docs/protocol-walkthrough.md, "The same on copilot-rx's RPC connection".
//
//   npm run example -- walkthrough-rpc
import { randomUUID } from 'node:crypto';
import { firstValueFrom, filter } from 'rxjs';
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import {
  ConnectResult,
  decodeSessionEventNotification,
  PROTOCOL_VERSION,
  RpcConnection,
  SessionCreateResult,
  SessionSendResult,
  stdioTransport,
  type SessionEvent,
} from '@copilot-rx/core';
import { createCliSandbox, startScriptedModelEndpoint } from '@copilot-rx/testing';

void main().catch((error: unknown) => {
  console.error(`walkthrough failed: ${String(error)}`);
  process.exitCode = 1;
});

async function main(): Promise<void> {
  const endpoint = await startScriptedModelEndpoint({ defaultScenario: { kind: 'demo', paceMs: 1 } });
  const sandbox = await createCliSandbox();
  const transport = await stdioTransport({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' }).open();
  // The connection frames, parses and correlates; a request is bounded by `timeoutMs`, and a CLI that
  // dies fails every request with ConnectionClosedError. Frames it cannot use go to malformed$.
  const rpc = new RpcConnection(transport);
  const log = (line: string) => console.log(line);
  rpc.malformed$.subscribe((error) => log(`!! ${error.message}`));

  /** One request, its answer checked by a codec before anything uses it. */
  async function request<A>(method: string, params: object, codec: t.Decoder<unknown, A>): Promise<A> {
    log(`-> ${method}`);
    const decoded = codec.decode(await rpc.call(method, params, { timeoutMs: 60_000 }));
    if (isLeft(decoded)) throw new Error(`${method} answered an unexpected shape: ${PathReporter.report(decoded).join('; ')}`);
    return decoded.right;
  }

  // Every session.event, decoded; one that does not decode is said, never cast.
  const events: SessionEvent[] = [];
  let sessionId = '';
  rpc.notifications$.pipe(filter((note) => note.method === 'session.event')).subscribe({
    next: (note) => {
      const decoded = decodeSessionEventNotification(note.params);
      if (isLeft(decoded)) return log(`<- session.event that does not decode: ${decoded.left.messages.join('; ')}`);
      const { event } = decoded.right;
      events.push(event);
      // The CLI's questions arrive as events and are answered with requests (protocol v3's broadcast).
      if (event.type === 'permission.requested') {
        log(`<- session.event permission.requested: ${event.data.permissionRequest.kind}`);
        void answer('session.permissions.handlePendingPermissionRequest', { requestId: event.data.requestId, result: { kind: 'approve-once' } });
      } else if (event.type === 'external_tool.requested') {
        log(`<- session.event external_tool.requested: ${event.data.toolName}`);
        void answer('session.tools.handlePendingToolCall', { requestId: event.data.requestId, result: 'It is 21°C and sunny in Paris.' });
      }
    },
    error: (error: unknown) => log(`!! the connection ended: ${String(error)}`),
  });

  async function answer(method: string, params: object): Promise<void> {
    try {
      log(`-> ${method}`);
      await rpc.call(method, { sessionId, ...params }, { timeoutMs: 60_000 });
    } catch (error) {
      log(`!! ${method} failed: ${String(error)}`);
    }
  }

  try {
    const hello = await request('connect', {}, ConnectResult);
    log(`<- connect: protocolVersion ${hello.protocolVersion} (this client speaks ${PROTOCOL_VERSION})`);

    sessionId = randomUUID();
    const created = await request(
      'session.create',
      {
        sessionId,
        model: 'claude-sonnet-4.5',
        streaming: true,
        requestPermission: true,
        envValueMode: 'direct',
        provider: endpoint.byokProvider(),
        tools: [{ name: 'get_weather', description: 'The current weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
        availableTools: ['get_weather'],
      },
      SessionCreateResult,
    );
    log(`<- session.create: ${created.sessionId === sessionId ? 'created with our id' : created.sessionId}`);

    // Subscribe to the end of the turn BEFORE sending: its events may come before send's answer.
    const idle = firstValueFrom(rpc.notifications$.pipe(filter((note) => isIdleOf(note.params, sessionId))));
    await request('session.send', { sessionId, prompt: 'What is the weather in Paris? [[tool get_weather {"city":"Paris"}]]' }, SessionSendResult);
    await idle;
    const text = events.flatMap((event) => (event.type === 'assistant.message_delta' ? [event.data.deltaContent] : [])).join('');
    log(`<- session.idle after ${events.length} events`);
    log(`answer: ${text}`);

    await request('session.destroy', { sessionId }, t.unknown);
  } finally {
    rpc.dispose();
    await transport.dispose();
    await endpoint.close();
    await sandbox.dispose();
  }
}

/** True for the `session.idle` event of `sessionId`, read from a notification's raw params. */
function isIdleOf(params: unknown, sessionId: string): boolean {
  const decoded = decodeSessionEventNotification(params);
  return !isLeft(decoded) && decoded.right.sessionId === sessionId && decoded.right.event.type === 'session.idle';
}
