import { connect } from 'node:net';
import { chatBody, contentOf, postChat, rawRequest } from '../testSupport/chatClient';
import { startScriptedModelEndpoint, type ScriptedModelEndpoint } from './startScriptedModelEndpoint';
import { ScenarioError } from './scenario';

describe('scripted model endpoint: routes, refusals and recording', () => {
  let endpoint: ScriptedModelEndpoint;
  beforeEach(async () => {
    endpoint = await startScriptedModelEndpoint();
  });
  afterEach(async () => {
    await endpoint.close();
  });

  const get = (path: string, token: string | undefined = endpoint.fakeToken) =>
    fetch(`${endpoint.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('listens on 127.0.0.1 on a free port and names it in its url and BYOK provider', () => {
    expect(endpoint.url).toBe(`http://127.0.0.1:${endpoint.port}`);
    expect(endpoint.port).toBeGreaterThan(0);
    expect(endpoint.byokProvider()).toEqual({ type: 'openai', baseUrl: `${endpoint.url}/v1`, apiKey: expect.any(String) });
    expect(endpoint.capiEnv()).toEqual({ COPILOT_DEBUG_GITHUB_API_URL: endpoint.url, COPILOT_API_URL: endpoint.url });
    expect(endpoint.proxyTrapEnv()).toMatchObject({ HTTPS_PROXY: endpoint.url, NO_PROXY: '127.0.0.1,localhost,::1' });
  });

  it('serves route A: the user points the API back here, without telemetry; the models list has the scripted model', async () => {
    const user = (await (await get('/copilot_internal/user')).json()) as { endpoints: Record<string, string> };
    expect(user.endpoints).toEqual({ api: endpoint.url });
    const models = (await (await get('/models')).json()) as { data: { id: string; supported_endpoints: string[]; capabilities: { limits: Record<string, number> } }[] };
    expect(models.data.map((m) => [m.id, m.supported_endpoints])).toEqual([['claude-sonnet-4.5', ['/chat/completions']]]);
    expect(models.data[0]!.capabilities.limits['max_prompt_tokens']).toBe(128_000);
  });

  it('streams on route A at /chat/completions with the fake token', async () => {
    const reply = await postChat(endpoint, chatBody('Hello [[chunks 2]]'), { path: '/chat/completions', token: endpoint.fakeToken });
    expect(reply.status).toBe(200);
    expect(contentOf(reply.frames)).toBe('Hello-1 Hello-2');
  });

  it('refuses a missing or wrong token with a 401 that names no token', async () => {
    const noToken = await postChat(endpoint, chatBody('Hi'), { token: null });
    const wrong = await get('/models', endpoint.byokProvider().apiKey);
    expect([noToken.status, wrong.status]).toEqual([401, 401]);
    const message = ((await wrong.json()) as { error: { message: string } }).error.message;
    expect(message).toMatch(/missing or wrong bearer token on GET \/models/);
    for (const text of [noToken.text, message]) {
      expect(text).not.toContain(endpoint.fakeToken);
      expect(text).not.toContain(endpoint.byokProvider().apiKey);
    }
  });

  it.each([
    ['GET', '/copilot_internal/team_customizations', 'declined'],
    ['POST', '/mcp/readonly', 'declined'],
    ['POST', '/telemetry/telemetry', 'declined'],
    ['GET', '/v1/models', 'unknown'],
    ['GET', '/v1/chat/completions', 'unknown'],
  ])('answers %s %s with a 404 naming the path', async (method, path, route) => {
    const res = await fetch(`${endpoint.url}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(`${method} ${path}`);
    expect(endpoint.requests.map((r) => r.route)).toEqual([route]);
  });

  it('refuses a CONNECT (the proxy trap) with 403 and records it', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(endpoint.port, '127.0.0.1', () => socket.write('CONNECT api.github.com:443 HTTP/1.1\r\nHost: api.github.com:443\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(answer).toContain('refused CONNECT api.github.com:443');
    expect(endpoint.requests).toEqual([{ method: 'CONNECT', path: 'api.github.com:443', headers: { host: 'api.github.com:443' }, body: undefined, route: 'proxy' }]);
  });

  it('refuses a plain proxy request for another host with 403', async () => {
    const exchange = await rawRequest(endpoint, { method: 'GET', path: 'http://api.github.com/copilot_internal/user' });
    expect(exchange.status).toBe(403);
    expect(exchange.received).toContain('not a proxy');
    expect(endpoint.requests.map((r) => [r.method, r.path, r.route])).toEqual([['GET', 'http://api.github.com/copilot_internal/user', 'proxy']]);
  });

  it('records every request with its parsed body and without credentials', async () => {
    const body = chatBody('Record me');
    await postChat(endpoint, body);
    await fetch(`${endpoint.url}/copilot_internal/user`, { headers: { authorization: `Bearer ${endpoint.fakeToken}`, cookie: 'c=1', 'x-api-key': 'k', 'x-trace': 't' } });
    const [chat, user] = endpoint.requests;
    expect(chat).toMatchObject({ method: 'POST', path: '/v1/chat/completions', route: 'chat', body });
    expect(user).toMatchObject({ method: 'GET', path: '/copilot_internal/user', route: 'user', body: undefined });
    expect(user!.headers['x-trace']).toBe('t');
    for (const recorded of [chat!, user!]) {
      expect(Object.keys(recorded.headers).filter((h) => /authorization|cookie|api-key/.test(h))).toEqual([]);
    }
    expect(JSON.stringify(endpoint.requests)).not.toContain(endpoint.fakeToken);
    expect(JSON.stringify(endpoint.requests)).not.toContain(endpoint.byokProvider().apiKey);
  });

  it('gives each read of requests its own snapshot', async () => {
    const before = endpoint.requests;
    await postChat(endpoint, chatBody('Hi'));
    expect(before).toHaveLength(0);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('plays enqueued scenarios first, in order, then goes back to the markers', async () => {
    endpoint.enqueue({ kind: 'http', status: 502 }, { kind: 'text', text: 'Scripted answer', chunks: 3 });
    const statuses = [];
    const texts = [];
    for (let i = 0; i < 3; i++) {
      const reply = await postChat(endpoint, chatBody('Hi [[chunks 1]]'));
      statuses.push(reply.status);
      texts.push(reply.status === 200 ? contentOf(reply.frames) : '');
    }
    expect(statuses).toEqual([502, 200, 200]);
    expect(texts).toEqual(['', 'Scripted answer', 'Hi-1']);
  });

  it('plays its default scenario for a prompt without markers', async () => {
    await endpoint.close();
    endpoint = await startScriptedModelEndpoint({ defaultScenario: { kind: 'http', status: 500, retryAfterSeconds: null } });
    const reply = await postChat(endpoint, chatBody('Plain'));
    expect(reply.status).toBe(500);
    expect(reply.headers.get('retry-after')).toBeNull();
  });

  it.each([
    [{ kind: 'txt' }, /scenario.kind must be one of demo, text, tool, http, badsse, cut, hang; got "txt"/],
    [{ kind: 'text', chunks: 0 }, /scenario.chunks must be an integer of at least 1, got 0/],
    [{ kind: 'text', text: 'ab', chunks: 3 }, /2 characters, too few for 3 non-empty chunks/],
    [{ kind: 'tool', calls: [] }, /scenario.calls must be a non-empty array/],
    [{ kind: 'tool', calls: [{ name: 'a b' }] }, /scenario.calls\[0\].name must be a tool name/],
    [{ kind: 'http', status: 200 }, /scenario.status must be an HTTP error status from 400 to 599, got 200/],
  ])('refuses to enqueue %j, naming the bad field', (scenario, message) => {
    expect(() => endpoint.enqueue(scenario as never)).toThrow(ScenarioError);
    expect(() => endpoint.enqueue(scenario as never)).toThrow(message);
  });

  it('refuses a bad port or default scenario at start', async () => {
    await expect(startScriptedModelEndpoint({ port: 70_000 })).rejects.toThrow(/options.port must be an integer from 0 to 65535, got 70000/);
    await expect(startScriptedModelEndpoint({ defaultScenario: { kind: 'cut', paceMs: -1 } })).rejects.toThrow(/scenario.paceMs/);
    await expect(startScriptedModelEndpoint({ port: endpoint.port })).rejects.toThrow(new RegExp(`could not listen on 127.0.0.1:${endpoint.port}: .*EADDRINUSE`));
  });

  it('closes idempotently and ends kept-alive connections, so nothing keeps the process alive', async () => {
    await postChat(endpoint, chatBody('Hi'));
    await Promise.all([endpoint.close(), endpoint.close()]);
    await endpoint.close();
    await expect(fetch(`${endpoint.url}/models`)).rejects.toThrow();
  });
});
