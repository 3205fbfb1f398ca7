/**
 * The dashboard server's guards, in this process on 127.0.0.1 with stand-in sessions (no CLI): the
 * Host and Origin checks that refuse DNS rebinding and cross-site requests before the token, and bad
 * bodies that get a bounded 400 instead of a 500.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { DashboardStore } from '../model/DashboardStore';
import type { CreateSessionRequest } from '../sessions/DashboardSessions';
import { UnknownSessionError } from '../sessions/DashboardSessions';
import { startDashboardServer, type DashboardServer } from './startDashboardServer';

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const TOKEN = 'test-token-0123456789abcdefghijkl';

/** A request to the server on 127.0.0.1, whatever Host, Origin and body it claims. */
function request(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`No answer to ${path} within 10 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

const errorOf = (reply: Reply) => (JSON.parse(reply.body) as { error: { status: number; message: string } }).error;

/** [[[...]]] nested `depth` levels deep, as JSON text. */
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

let server: DashboardServer;
const created: CreateSessionRequest[] = [];
beforeAll(async () => {
  const sessions = {
    create: async (request: CreateSessionRequest) => (created.push(request), 's1'),
    send: (sessionId: string) => {
      if (sessionId !== 's1') throw new UnknownSessionError(sessionId);
    },
    abort: async () => undefined,
    decide: () => false,
  };
  server = await startDashboardServer({ store: new DashboardStore('offline'), sessions, token: TOKEN });
});
afterAll(() => server.close());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  request(server.port, path, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-access-token': TOKEN, ...headers } });

describe('the Host check (DNS rebinding)', () => {
  it.each(['127.0.0.1', 'localhost', 'LOCALHOST'])('serves the page to Host %s:<port>', async (name) => {
    const reply = await request(server.port, `/?token=${TOKEN}`, { headers: { host: `${name}:${server.port}` } });
    expect(reply.status).toBe(200);
  });

  it.each([
    ['a rebound name with the right port', (port: number) => `evil.example:${port}`],
    ['the right name on another port', (port: number) => `127.0.0.1:${port + 1}`],
    ['the name without its port', () => 'localhost'],
    ['[::1], where the server does not listen', (port: number) => `[::1]:${port}`],
    ['a name that only starts like localhost', (port: number) => `localhost.evil.example:${port}`],
  ])('refuses %s with 421, before the token, and says why', async (_, host) => {
    const reply = await request(server.port, `/?token=${TOKEN}`, { headers: { host: host(server.port) } });
    expect(reply.status).toBe(421);
    expect(errorOf(reply).message).toBe(
      `This dashboard answers only to http://127.0.0.1:${server.port} and http://localhost:${server.port}; the request was for host "${host(server.port).toLowerCase()}"`,
    );
    expect(reply.body).not.toContain(TOKEN);
  });

  it('refuses a foreign Host even without a token: the token check comes after', async () => {
    const reply = await request(server.port, '/api/sessions', { method: 'POST', headers: { host: 'evil.example' } });
    expect(reply.status).toBe(421);
  });

  it('refuses a request with no Host at all (HTTP/1.0) with 421', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(server.port, '127.0.0.1');
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.end(`GET /?token=${TOKEN} HTTP/1.0\r\n\r\n`);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 421 /);
    expect(reply).toContain('the request was for no host');
  });

  it('quotes a huge Host bounded', async () => {
    const reply = await request(server.port, '/', { headers: { host: `${'x'.repeat(10_000)}:${server.port}` } });
    expect(reply.status).toBe(421);
    expect(errorOf(reply).message.length).toBeLessThan(250);
  });
});

describe('the Origin check on requests that change something', () => {
  it('accepts a POST from the dashboard\'s own page, by either name', async () => {
    for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`]) {
      expect((await post('/api/sessions', '{"label":"mine"}', { origin })).status).toBe(201);
    }
  });

  it('accepts a POST with no Origin (not a browser: the token governs it)', async () => {
    expect((await post('/api/sessions', '{}')).status).toBe(201);
  });

  it.each([
    ['another site', 'http://evil.example'],
    ['the same name on another port', 'http://127.0.0.1:1'],
    ['https on the same port', 'https://127.0.0.1:PORT'],
    ['a sandboxed frame or a file: page', 'null'],
  ])('refuses a POST from %s with 403, even with the token, and creates nothing', async (_, origin) => {
    const before = created.length;
    const reply = await post('/api/sessions', '{"label":"theirs"}', { origin: origin.replace('PORT', String(server.port)) });
    expect(reply.status).toBe(403);
    expect(errorOf(reply).message).toBe(
      `Requests that change something must come from the dashboard's own page (http://127.0.0.1:${server.port}); this one came from "${origin.replace('PORT', String(server.port))}"`,
    );
    expect(created.length).toBe(before);
  });

  it('lets a GET with a foreign Origin through to the token check (reading needs the token, and changes nothing)', async () => {
    expect((await request(server.port, `/app.js?token=${TOKEN}`, { headers: { origin: 'http://evil.example' } })).status).toBe(200);
    expect((await request(server.port, '/app.js', { headers: { origin: 'http://evil.example' } })).status).toBe(403);
  });
});

describe('bodies and paths that used to cost a 500 or an echo', () => {
  it('answers a body nested 20,000 levels deep with 400 and a clear message, and keeps serving', async () => {
    for (const body of [`{"label":${nestedArrays(20_000)}}`, `{"prompt":${nestedArrays(20_000)}}`, nestedArrays(20_000)]) {
      const reply = await post(body.includes('prompt') ? '/api/sessions/s1/turns' : '/api/sessions', body);
      expect(reply.status).toBe(400);
      expect(errorOf(reply).message).toMatch(/^The body nests arrays and objects deeper than 8 levels \(at character \d+\); send one JSON object of plain fields$/);
    }
    expect((await post('/api/sessions', '{"label":"after"}')).status).toBe(201);
  });

  it('passes a label and a host (fleet mode) to the sessions, and refuses a host that is not a short string', async () => {
    expect((await post('/api/sessions', '{"label":"mine","host":"build-1"}')).status).toBe(201);
    expect(created.at(-1)).toEqual({ label: 'mine', host: 'build-1' });
    expect((await post('/api/sessions', '{}')).status).toBe(201);
    expect(created.at(-1)).toEqual({});
    const before = created.length;
    const wrong = await post('/api/sessions', JSON.stringify({ host: 'h'.repeat(129) }));
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong).message).toMatch(/^"host" must be/);
    expect(created.length).toBe(before);
  });

  it('quotes a wrong-typed field bounded in depth and length', async () => {
    // The object and 7 arrays: 8 levels, as deep as a body may go.
    const shallow = await post('/api/sessions', `{"label":${nestedArrays(7)}}`);
    expect(errorOf(shallow).message).toBe('"label" must be a non-empty string. Got [[[[…]]]]');
    const long = await post('/api/sessions', JSON.stringify({ label: ['x'.repeat(200_000)] }));
    expect(long.status).toBe(400);
    expect(errorOf(long).message).toBe(`"label" must be a non-empty string. Got ["${'x'.repeat(78)}…`);
  });

  it('quotes an unknown session id and an unknown route bounded', async () => {
    const id = 'n'.repeat(5_000);
    const unknown = await post(`/api/sessions/${id}/turns`, '{"prompt":"hi"}');
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).message).toBe(`No session "${'n'.repeat(79)}…; create one first (POST /api/sessions)`);
    const route = await post(`/api/${'r'.repeat(5_000)}`, '{}');
    expect(route.status).toBe(404);
    expect(errorOf(route).message).toBe(`No route POST /api/${'r'.repeat(195)}…`);
  });

  it('quotes an unknown permission request id bounded', async () => {
    const reply = await post(`/api/sessions/s1/permissions/${'p'.repeat(5_000)}`, '{"decision":"deny"}');
    expect(reply.status).toBe(409);
    expect(errorOf(reply).message).toBe(`Permission request "${'p'.repeat(79)}… is not pending (already answered, or its turn ended)`);
  });
});
