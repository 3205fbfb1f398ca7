/**
 * The dashboard's HTTP server against the real Copilot CLI (offline): bound to 127.0.0.1 only, behind
 * its access token, clear errors for bad input that leave everything else working, and permission
 * prompts that wait for the user.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';
import { startLiveDashboard, type LiveDashboard } from './support/liveDashboard';

jest.setTimeout(120_000);

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

let live: LiveDashboard;
beforeAll(async () => {
  live = await startLiveDashboard({ demo: false });
});
afterAll(() => live.dispose());

const api = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  request(`${live.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-access-token': live.token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const errorOf = (reply: Reply) => (JSON.parse(reply.body) as { error: { status: number; message: string } }).error;

describe('the dashboard server', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(new URL(live.dashboard.url).hostname).toBe('127.0.0.1');
    const port = new URL(live.origin).port;
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    for (const address of others) {
      await expect(request(`http://${address}:${port}/?token=${live.token}`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
    await expect(request(`http://[::1]:${port}/?token=${live.token}`)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNREFUSED|EADDRNOTAVAIL/) });
  });

  it.each([
    ['no token', '/'],
    ['no token', '/events'],
    ['no token', '/app.js'],
    ['a wrong token', '/?token=not-the-token'],
    ['a token one character short', '/?token=TOKEN_SHORT'],
  ])('refuses a request with %s (%s) with 403', async (_, path) => {
    const reply = await request(`${live.origin}${path.replace('TOKEN_SHORT', live.token.slice(0, -1))}`);
    expect(reply.status).toBe(403);
    expect(errorOf(reply).message).toMatch(/Missing or wrong access token/);
    expect(reply.body).not.toContain(live.token);
  });

  it('refuses an API call without the token, whatever its body', async () => {
    const reply = await api('/api/sessions', {}, { 'x-access-token': '' });
    expect(reply.status).toBe(403);
  });

  it('serves the page with the token, its assets carrying the token too, and no Referer leaks', async () => {
    const reply = await request(live.dashboard.url);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.body).toContain(`/app.js?token=${live.token}`);
    expect((await request(`${live.origin}/app.js?token=${live.token}`)).status).toBe(200);
  });

  it('streams a snapshot first over Server-Sent Events', async () => {
    const first = await new Promise<string>((resolve, reject) => {
      http
        .get(`${live.origin}/events?token=${live.token}`, (res) => {
          expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
          res.once('data', (chunk) => {
            resolve(String(chunk));
            res.destroy();
          });
        })
        .on('error', reject);
    });
    const patch = JSON.parse(/^data: (.*)$/m.exec(first)![1]!) as { kind: string; state: { health: { mode: string; cli: string } } };
    expect(patch.kind).toBe('snapshot');
    expect(patch.state.health).toMatchObject({ mode: 'offline', cli: 'connected' });
  });

  it.each([
    ['malformed JSON', '/api/sessions', '{"label": ', {}, 400, /The body is not valid JSON/],
    ['a JSON array', '/api/sessions', '[1]', {}, 400, /The body must be a JSON object/],
    ['a form body', '/api/sessions', 'label=x', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /Send JSON with content-type application\/json/],
    ['a huge body', '/api/sessions', JSON.stringify({ label: 'x'.repeat(300_000) }), {}, 413, /larger than 262144 bytes/],
    ['a label of the wrong type', '/api/sessions', '{"label": 42}', {}, 400, /"label" must be a non-empty string. Got 42/],
    ['an unknown session', '/api/sessions/nope/turns', '{"prompt": "hi"}', {}, 404, /No session "nope"/],
    ['an unknown route', '/api/nothing', '{}', {}, 404, /No route POST \/api\/nothing/],
    ['a route with a segment too many', '/api/sessions/x/abort/now', '{}', {}, 404, /No route POST \/api\/sessions\/x\/abort\/now/],
    ['bad percent-encoding', '/api/sessions/%E0%A4%A/turns', '{}', {}, 400, /not valid percent-encoding/],
  ])('answers %s with a clear error', async (_, path, body, headers, status, message) => {
    const reply = await api(path, body, headers);
    expect(reply.status).toBe(status);
    expect(errorOf(reply).message).toMatch(message);
  });

  it('answers a GET on the API with 405', async () => {
    const reply = await request(`${live.origin}/api/sessions?token=${live.token}`);
    expect(reply.status).toBe(405);
    expect(errorOf(reply).message).toBe('GET is not allowed here; use POST');
  });

  it('keeps working after bad input: the next good request succeeds, and the sessions are untouched', async () => {
    const created = await api('/api/sessions', { label: 'after bad input' });
    expect(created.status).toBe(201);
    const { sessionId } = JSON.parse(created.body) as { sessionId: string };
    expect((await api(`/api/sessions/${sessionId}/turns`, '{"prompt": ')).status).toBe(400);
    expect(errorOf(await api(`/api/sessions/${sessionId}/turns`, { prompt: '   ' })).message).toMatch(/"prompt" must be a non-empty string/);
    expect((await api(`/api/sessions/${sessionId}/turns`, { prompt: 'Say hi [[chunks 5]]' })).status).toBe(202);
    const answer = await live.until((state) => {
      const entry = live.session(state, sessionId).transcript.find((e) => e.kind === 'answer');
      return entry?.kind === 'answer' && state.sessions.find((s) => s.id === sessionId)?.row.activity === 'idle' && entry.text;
    });
    expect(answer).toBe('Say-1 hi-2 Say-3 hi-4 Say-5');
  });

  it('holds a permission prompt until the user decides, and a denial reaches the model', async () => {
    const { sessionId } = JSON.parse((await api('/api/sessions', {})).body) as { sessionId: string };
    await api(`/api/sessions/${sessionId}/turns`, { prompt: 'Weather? [[tool get_weather {"city":"Rome"}]]' });
    const permission = await live.until((state) => live.session(state, sessionId).permissions[0]);
    expect(permission).toMatchObject({ kind: 'custom-tool', summary: 'get_weather {"city":"Rome"}' });
    const waiting = await live.until((state) => {
      const session = live.session(state, sessionId);
      return session.row.activity === 'waiting for permission' && session;
    });
    expect(waiting.tools).toEqual([expect.objectContaining({ name: 'get_weather', status: 'waiting for permission' })]);

    expect(errorOf(await api(`/api/sessions/${sessionId}/permissions/${permission.requestId}`, { decision: 'maybe' })).message).toBe(
      '"decision" must be "approve" or "deny". Got "maybe"',
    );
    expect((await api(`/api/sessions/${sessionId}/permissions/not-a-request`, { decision: 'approve' })).status).toBe(409);
    expect((await api(`/api/sessions/${sessionId}/permissions/${permission.requestId}`, { decision: 'deny' })).status).toBe(200);
    // Answered once: a second decision finds nothing pending.
    expect((await api(`/api/sessions/${sessionId}/permissions/${permission.requestId}`, { decision: 'approve' })).status).toBe(409);

    const done = await live.until((state) => {
      const session = live.session(state, sessionId);
      return session.row.activity === 'idle' && session.tools[0]?.status !== 'waiting for permission' && session;
    });
    expect(done.tools[0]).toMatchObject({ name: 'get_weather', status: 'failed' });
    expect(done.permissions).toEqual([]);
    expect(done.transcript.find((e) => e.kind === 'answer')).toMatchObject({ text: expect.stringContaining('denied this request in the copilot-rx dashboard') });
  });

  it('aborts a running turn', async () => {
    const { sessionId } = JSON.parse((await api('/api/sessions', {})).body) as { sessionId: string };
    await api(`/api/sessions/${sessionId}/turns`, { prompt: 'A long one [[chunks 2000]] [[pace 20]]' });
    await live.until((state) => live.session(state, sessionId).row.activity === 'streaming');
    expect((await api(`/api/sessions/${sessionId}/abort`, {})).status).toBe(202);
    const session = await live.until((state) => {
      const s = live.session(state, sessionId);
      return s.row.activity === 'idle' && s;
    });
    expect(session.transcript).toContainEqual({ kind: 'notice', level: 'info', text: 'Aborted (user_initiated)' });
  });
});
