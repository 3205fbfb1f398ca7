import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { copilotUser, modelList } from './capiRoutes.js';
import { chooseScenario } from './chooseScenario.js';
import { ChatRequestError, parseChatRequest, type ChatRequest } from './chatRequest.js';
import { writeCompletionJson } from './completionJson.js';
import { openAiError, sendJson } from './jsonReply.js';
import { readBody, redactHeaders, RequestBodyError, type RecordedRequest } from './recordedRequest.js';
import { planResponse } from './responsePlan.js';
import { routeOf, SERVED } from './routes.js';
import { assertScenario, ScenarioError, type Scenario } from './scenario.js';
import { realPause, writeSseStream, type Pause } from './sseWriter.js';

/** Options of `startScriptedModelEndpoint`. */
export interface ScriptedModelEndpointOptions {
  /** The port on 127.0.0.1. Default 0: a free port the system picks. */
  readonly port?: number;
  /**
   * The answer to a prompt without markers when nothing is enqueued. Default `{ kind: 'demo' }`: the
   * offline demo's prose (`{ kind: 'demo', paceMs: 1 }` for the same prose fast; `{ kind: 'text' }`
   * for the prompt's numbered words, which a test can predict with `derivedAnswerChunks`).
   */
  readonly defaultScenario?: Scenario;
  /**
   * How the endpoint waits between paced chunks. Default: a real timer. A test of pacing passes its
   * own, to see the requested pauses and release them when it chooses, with no clock involved.
   */
  readonly pause?: Pause;
}

/** The BYOK provider that points a session at the endpoint (route B): `session.create {provider}`. */
export interface ByokProvider {
  readonly type: 'openai';
  readonly baseUrl: string;
  readonly apiKey: string;
}

/** A running scripted model endpoint. */
export interface ScriptedModelEndpoint {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The token route A's CLI must present (pass it as the CLI's auth token). */
  readonly fakeToken: string;
  /** Every request received so far, oldest first, credentials left out. A snapshot: a new array each read. */
  readonly requests: readonly RecordedRequest[];
  /** Route B: the `provider` for `session.create`. */
  byokProvider(): ByokProvider;
  /** Route A: the CLI's environment that sends its GitHub and Copilot API calls here. */
  capiEnv(): Record<string, string>;
  /**
   * The optional proxy trap: with these in the CLI's environment, any attempt to reach another host
   * arrives here as a `CONNECT` (refused, recorded with route `proxy`), so a test can prove none happened.
   */
  proxyTrapEnv(): Record<string, string>;
  /**
   * Scripts the next chat requests, in order, ahead of markers, tool follow-ups and the default.
   *
   * @throws ScenarioError when a scenario is malformed, naming the field.
   */
  enqueue(...scenarios: Scenario[]): void;
  /** Stops the server and ends every open response and connection (hanging streams too). Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a scripted model endpoint on 127.0.0.1 that the real Copilot CLI can be pointed at, offline:
 * route B (BYOK, `POST /v1/chat/completions`) and route A (Copilot API emulation: `GET
 * /copilot_internal/user`, `GET /models`, `POST /chat/completions`). Anything else gets a 404 that names
 * the path, proxy requests a 403; all of it is recorded.
 *
 * Each chat request plays a scenario, chosen in this order: the next enqueued one; for a request that
 * ends with tool results, the text `Tool NAME returned: CONTENT`; the markers of the newest user message
 * (`[[chunks 40]]`, `[[tool get_weather {"city":"Paris"}]]`, `[[http 500]]`, see `parseScenarioMarkers`);
 * the default scenario (the offline demo's prose on the prompt's topic). A malformed marker is answered with a 400 whose message quotes it, so it shows
 * up in the CLI's `session.error`.
 *
 * ## Example
 * ```ts
 * const endpoint = await startScriptedModelEndpoint();
 * const session = await client.createSession({ model: 'claude-sonnet-4.5', provider: endpoint.byokProvider() });
 * await lastValueFrom(session.send('Hello [[chunks 40]] [[pace 5]]'));   // 40 message deltas
 * await endpoint.close();
 * ```
 *
 * @throws Error when the port is invalid or taken, or the default scenario is malformed.
 */
export async function startScriptedModelEndpoint(options: ScriptedModelEndpointOptions = {}): Promise<ScriptedModelEndpoint> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`options.port must be an integer from 0 to 65535, got ${String(port)}`);
  const defaultScenario: Scenario = options.defaultScenario ?? { kind: 'demo' };
  const pause = options.pause ?? realPause;
  assertScenario(defaultScenario);

  const fakeToken = `fake-copilot-token-${randomBytes(8).toString('hex')}`;
  const apiKey = `fake-byok-key-${randomBytes(8).toString('hex')}`;
  const recorded: RecordedRequest[] = [];
  const queue: Scenario[] = [];
  const sockets = new Set<Socket>();
  const inFlight = new Set<AbortController>();
  let responses = 0;
  let toolCalls = 0;
  let url = '';

  const record = (req: IncomingMessage, body: unknown) =>
    recorded.push(Object.freeze({ method: req.method ?? '', path: req.url ?? '', headers: redactHeaders(req.headers), body, route: routeOf(req.method ?? '', req.url ?? '') }));

  const bearer = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const unauthorized = (req: IncomingMessage, res: ServerResponse, expected: string) =>
    sendJson(res, 401, openAiError(`missing or wrong bearer token on ${req.method} ${req.url}; ${expected}`, 'authentication_error', 'invalid_api_key'));

  const answerChat = async (res: ServerResponse, body: unknown) => {
    let request: ChatRequest;
    let scenario: Scenario;
    try {
      request = parseChatRequest(body);
      scenario = chooseScenario(request, queue, defaultScenario);
    } catch (error) {
      if (error instanceof ChatRequestError) return sendJson(res, 400, openAiError(error.message, 'invalid_request_error'));
      if (error instanceof ScenarioError) return sendJson(res, 400, openAiError(error.message, 'invalid_scenario'));
      throw error;
    }
    const plan = planResponse(scenario, request, () => `call_scripted_${++toolCalls}`);
    if (plan.type === 'error') return sendJson(res, plan.status, plan.body, plan.headers);
    const controller = new AbortController();
    inFlight.add(controller);
    // 'close' fires when the response is done or the client went away; either way, stop writing.
    res.once('close', () => controller.abort());
    try {
      const responseId = `chatcmpl-scripted-${++responses}`;
      if (request.stream) await writeSseStream(res, plan, responseId, controller.signal, pause);
      else await writeCompletionJson(res, plan, responseId, controller.signal);
    } finally {
      inFlight.delete(controller);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? '';
    const target = req.url ?? '';
    const route = routeOf(method, target);
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (error) {
      record(req, undefined);
      if (error instanceof RequestBodyError) return sendJson(res, error.status, openAiError(error.message, 'invalid_request_error'));
      throw error;
    }
    record(req, body);
    switch (route) {
      case 'proxy':
        return sendJson(res, 403, openAiError(`not a proxy; refused ${method} ${target}`, 'proxy_refused'));
      case 'unknown':
        return sendJson(res, 404, openAiError(`no route for ${method} ${target}; it serves ${SERVED.join(', ')}`, 'not_found'));
      case 'declined':
        return sendJson(res, 404, openAiError(`${method} ${target} is declined on purpose (the CLI carries on without it)`, 'not_found'));
      case 'user':
      case 'models':
        if (bearer(req) !== fakeToken) return unauthorized(req, res, 'route A needs endpoint.fakeToken as the CLI auth token');
        return sendJson(res, 200, route === 'user' ? copilotUser(url) : modelList());
      case 'chat': {
        const token = bearer(req);
        if (token !== fakeToken && token !== apiKey) {
          return unauthorized(req, res, 'route B needs endpoint.byokProvider() as the provider, route A endpoint.fakeToken as the CLI auth token');
        }
        return answerChat(res, body);
      }
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // The client went away (or close() ended it) mid-request: there is no one left to answer.
      if (res.destroyed || req.destroyed) return;
      // Otherwise a bug in the endpoint, not a scripted failure: say so to the CLI (it lands in
      // session.error) and to the test process, rather than leaving the request hanging.
      const message = error instanceof Error ? error.message : String(error);
      process.emitWarning(`scripted model endpoint failed on ${req.method} ${req.url}: ${message}`);
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, openAiError(`internal failure: ${message}`, 'server_error'));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A CONNECT is the CLI trying to tunnel to some other host through the proxy trap: refuse it.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    record(req, undefined);
    const body = JSON.stringify(openAiError(`not a proxy; refused CONNECT ${req.url}`, 'proxy_refused'));
    socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`the scripted model endpoint could not listen on 127.0.0.1:${port}: ${error.message}`)));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  url = `http://127.0.0.1:${actualPort}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port: actualPort,
    fakeToken,
    get requests() {
      return [...recorded];
    },
    byokProvider: () => ({ type: 'openai', baseUrl: `${url}/v1`, apiKey }),
    capiEnv: () => ({ COPILOT_DEBUG_GITHUB_API_URL: url, COPILOT_API_URL: url }),
    proxyTrapEnv: () => ({
      HTTP_PROXY: url,
      HTTPS_PROXY: url,
      http_proxy: url,
      https_proxy: url,
      NO_PROXY: '127.0.0.1,localhost,::1',
      no_proxy: '127.0.0.1,localhost,::1',
    }),
    enqueue: (...scenarios) => {
      scenarios.forEach((scenario) => assertScenario(scenario));
      queue.push(...scenarios);
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const controller of inFlight) controller.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}
