// The protocol by hand: a client of the Copilot CLI built from the lower layers only, as you would
// write one in another language. It frames JSON-RPC messages itself, matches answers to requests,
// and handles the CLI's notifications; copilot-rx supplies only the transport (a spawned CLI and its
// pipes) and the io-ts codecs that check what comes back. docs/protocol-walkthrough.md explains
// each step; CopilotRxClient does all of this for you.
//
//   npm run example -- walkthrough
import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import { ConnectResult, decodeSessionEventNotification, PROTOCOL_VERSION, SessionCreateResult, SessionSendResult, stdioTransport } from '@copilot-rx/core';
import { createCliSandbox, startScriptedModelEndpoint } from '@copilot-rx/testing';

// ---- Framing: `Content-Length: N\r\n\r\n` then N bytes of UTF-8 JSON (N counts BYTES, not characters).

function frame(message: object): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
}

/** Cuts bodies out of the byte stream. A chunk may hold half a frame, or several. */
class FrameReader {
  #buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const bodies: string[] = [];
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return bodies;
      const header = this.#buffer.toString('latin1', 0, headerEnd);
      const length = Number(/^content-length: *(\d+)$/im.exec(header)?.[1]);
      if (!Number.isSafeInteger(length)) throw new Error(`bad header: ${JSON.stringify(header.slice(0, 80))}`);
      // Decode only once every byte is here: a multi-byte character may straddle two chunks.
      if (this.#buffer.length < headerEnd + 4 + length) return bodies;
      bodies.push(this.#buffer.toString('utf8', headerEnd + 4, headerEnd + 4 + length));
      this.#buffer = this.#buffer.subarray(headerEnd + 4 + length);
    }
  }
}

/** Every wait has a bound: `promise`, or an error naming what did not come within 60 s. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within 60 s`)), 60_000)));
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

// ---- The walk-through.

void main().catch((error: unknown) => {
  console.error(`walkthrough failed: ${String(error)}`);
  process.exitCode = 1;
});

async function main(): Promise<void> {
  const endpoint = await startScriptedModelEndpoint({ defaultScenario: { kind: 'demo', paceMs: 1 } });
  const sandbox = await createCliSandbox();
  const transport = await stdioTransport({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' }).open();
  const log = (line: string) => console.log(line);

  // JSON-RPC 2.0: a request has an id and expects one response with that id; a notification has none.
  let nextId = 1;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  function request<A>(method: string, params: object, codec: t.Decoder<unknown, A>): Promise<A> {
    const id = nextId++;
    log(`-> ${method}`);
    transport.writable.write(frame({ jsonrpc: '2.0', id, method, params }));
    const answered = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
    return within(answered, `an answer to ${method}`).then((result) => {
      // Check the answer's shape before using it: the codec names the field that is wrong.
      const decoded = codec.decode(result);
      if (isLeft(decoded)) throw new Error(`${method} answered an unexpected shape: ${PathReporter.report(decoded).join('; ')}`);
      return decoded.right;
    });
  }
  // If the CLI dies, nothing will answer: fail every request still waiting, saying why.
  void transport.closed.then(({ reason }) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the CLI is gone: ${reason}`));
    pending.clear();
  });

  let sessionId = '';
  let answer = '';
  let others = 0;
  let idle: () => void = () => undefined;
  const reader = new FrameReader();
  transport.readable.on('data', (chunk: Buffer) => {
    // Nothing may escape a data handler: a bad frame or a failing handler is reported, and reading goes on.
    try {
      for (const body of reader.push(chunk)) onMessage(JSON.parse(body) as Record<string, unknown>);
    } catch (error) {
      log(`!! ${String(error)}`);
    }
  });

  function onMessage(message: Record<string, unknown>): void {
    const id = message['id'];
    if (typeof id === 'number' && !('method' in message)) {
      const waiter = pending.get(id);
      pending.delete(id);
      const error = message['error'] as { message?: string; code?: number } | undefined;
      if (error) waiter?.reject(new Error(`${error.message} (JSON-RPC error ${error.code})`));
      else waiter?.resolve(message['result']);
    } else if (id !== undefined) {
      // A request from the CLI to us. This client handles none: say so at once, so the CLI never waits.
      log(`<- request ${String(message['method'])}: answered "method not found"`);
      transport.writable.write(frame({ jsonrpc: '2.0', id, error: { code: -32601, message: `Unhandled method ${String(message['method'])}` } }));
    } else if (message['method'] === 'session.event') {
      onEvent(message['params']);
    }
    // session.lifecycle and other notifications: not needed here.
  }

  function onEvent(params: unknown): void {
    const decoded = decodeSessionEventNotification(params);
    if (isLeft(decoded)) return log(`<- session.event that does not decode: ${decoded.left.messages.join('; ')}`);
    const { event } = decoded.right;
    switch (event.type) {
      case 'permission.requested': {
        const asked = event.data.permissionRequest;
        log(`<- session.event permission.requested: ${asked.kind} ${asked.kind === 'custom-tool' ? asked.toolName : ''}`);
        void answerRequest('session.permissions.handlePendingPermissionRequest', { requestId: event.data.requestId, result: { kind: 'approve-once' } });
        return;
      }
      case 'external_tool.requested': {
        log(`<- session.event external_tool.requested: ${event.data.toolName}(${JSON.stringify(event.data.arguments)})`);
        const args = event.data.arguments;
        const city = typeof args === 'object' && args !== null && 'city' in args ? String(args.city) : 'an unknown city';
        void answerRequest('session.tools.handlePendingToolCall', { requestId: event.data.requestId, result: `It is 21°C and sunny in ${city}.` });
        return;
      }
      case 'assistant.message_delta':
        answer += event.data.deltaContent;
        return;
      case 'session.idle':
        log(`<- session.event session.idle (after ${others} other events)`);
        idle();
        return;
      default:
        others++;
    }
  }

  /** Answers one of the CLI's broadcast requests; the result is `{ success }`, and nothing waits on it. */
  async function answerRequest(method: string, params: object): Promise<void> {
    try {
      await request(method, { sessionId, ...params }, t.unknown);
    } catch (error) {
      log(`!! ${method} failed: ${String(error)}`);
    }
  }

  try {
    // 1. The handshake: agree on the protocol version before anything else.
    const hello = await request('connect', {}, ConnectResult);
    log(`<- connect: protocolVersion ${hello.protocolVersion} (this client speaks ${PROTOCOL_VERSION}), CLI ${hello.version}`);

    // 2. A session: the client picks its id. The provider sends the model calls to the scripted model.
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
    log(`<- session.create: session ${created.sessionId === sessionId ? 'created with our id' : created.sessionId}`);

    // 3. A prompt. The answer to session.send comes at once; the turn's events follow until session.idle.
    const done = new Promise<void>((resolve) => (idle = resolve));
    const sent = await request('session.send', { sessionId, prompt: 'What is the weather in Paris? [[tool get_weather {"city":"Paris"}]]' }, SessionSendResult);
    log(`<- session.send: messageId ${sent.messageId ? 'received' : 'missing'}`);
    await within(done, 'the end of the turn (session.idle)');
    log(`answer: ${answer}`);

    await request('session.destroy', { sessionId }, t.unknown);
  } finally {
    await transport.dispose();
    await endpoint.close();
    await sandbox.dispose();
  }
}
