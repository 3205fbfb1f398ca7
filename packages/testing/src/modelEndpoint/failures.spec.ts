import { chatBody, deltasOf, postChat, rawRequest, sseFrames } from '../testSupport/chatClient';
import { startScriptedModelEndpoint, type ScriptedModelEndpoint } from './startScriptedModelEndpoint';

describe('scripted model endpoint: failures', () => {
  let endpoint: ScriptedModelEndpoint;
  beforeEach(async () => {
    endpoint = await startScriptedModelEndpoint();
  });
  afterEach(async () => {
    await endpoint.close();
  });

  it.each([
    [400, 'invalid_request_error', 400],
    [429, 'invalid_request_error', 'rate_limit_exceeded'],
    [500, 'server_error', 500],
  ])('answers [[http %d]] with an OpenAI-style error and retry-after: 0', async (status, type, code) => {
    const reply = await postChat(endpoint, chatBody(`Break [[http ${status}]]`));
    expect(reply.status).toBe(status);
    expect(reply.headers.get('retry-after')).toBe('0');
    expect(JSON.parse(reply.text)).toEqual({ error: { message: `scripted upstream failure (${status})`, type, code } });
  });

  it('sends the retry-after that [[retry-after S]] asks for', async () => {
    const reply = await postChat(endpoint, chatBody('Slow down [[http 429]] [[retry-after 7]]'));
    expect(reply.headers.get('retry-after')).toBe('7');
  });

  it('fails the same way on every retry of the same prompt', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await postChat(endpoint, chatBody('Again [[http 503]]'))).status);
    expect(statuses).toEqual([503, 503, 503]);
  });

  it('sends one good chunk and then a frame that is not JSON for [[badsse]]', async () => {
    const reply = await postChat(endpoint, chatBody('Bad [[badsse]]'));
    expect(reply.status).toBe(200);
    expect(deltasOf(reply.frames)).toEqual([{ role: 'assistant', content: 'Bad-1' }]);
    expect(reply.frames.at(-1)).toBe('{this is not json');
    expect(reply.text).not.toContain('[DONE]');
  });

  it('sends two chunks and then destroys the socket for [[cut]]', async () => {
    const exchange = await rawRequest(endpoint, { method: 'POST', path: '/v1/chat/completions', body: chatBody('Cut [[cut]]'), token: endpoint.byokProvider().apiKey });
    expect(exchange.ending).toBe('broken');
    expect(deltasOf(sseFrames(exchange.received))).toEqual([{ role: 'assistant', content: 'Cut-1' }, { content: ' Cut-2' }]);
  });

  it('sends headers and one chunk for [[hang]], and never ends until close() ends it', async () => {
    let firstDataSeen = false;
    const closed: Promise<void>[] = [];
    const exchange = await rawRequest(endpoint, {
      method: 'POST',
      path: '/v1/chat/completions',
      body: chatBody('Forever [[hang]]'),
      token: endpoint.byokProvider().apiKey,
      onFirstData: () => {
        firstDataSeen = true;
        closed.push(endpoint.close());
      },
    });
    await Promise.all(closed);
    expect(firstDataSeen).toBe(true);
    expect(exchange.status).toBe(200);
    expect(exchange.headers['content-type']).toBe('text/event-stream');
    expect(exchange.ending).toBe('broken');
    expect(deltasOf(sseFrames(exchange.received))).toEqual([{ role: 'assistant', content: 'Forever-1' }]);
    await expect(fetch(`${endpoint.url}/models`)).rejects.toThrow();
  });

  it('stops a paced stream when the client goes away, quietly, and keeps serving', async () => {
    await endpoint.close();
    let pauseAborted!: () => void;
    const stopped = new Promise<void>((resolve) => (pauseAborted = resolve));
    endpoint = await startScriptedModelEndpoint({
      // A pause that only ends by abort: the stream can only stop because the endpoint saw the client leave.
      pause: (_ms, signal) =>
        new Promise<void>((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            pauseAborted();
            reject(signal.reason);
          }),
        ),
    });
    const warn = jest.spyOn(process, 'emitWarning');
    try {
      const client = new AbortController();
      const res = await fetch(`${endpoint.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${endpoint.byokProvider().apiKey}` },
        body: JSON.stringify(chatBody('Slow [[chunks 5]] [[pace 1000]]')),
        signal: client.signal,
      });
      const first = await res.body!.getReader().read();
      expect(new TextDecoder().decode(first.value)).toContain('Slow-1');
      client.abort();
      await stopped;
      expect((await postChat(endpoint, chatBody('Next [[chunks 1]]'))).status).toBe(200);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('answers a malformed marker with a 400 that quotes it, so the CLI shows it in session.error', async () => {
    const reply = await postChat(endpoint, chatBody('Oops [[chunk 4]]'));
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text).error).toMatchObject({ type: 'invalid_scenario', message: expect.stringContaining('unknown scenario marker [[chunk 4]]') });
  });

  it('answers a body without messages with a 400 that says so', async () => {
    const reply = await postChat(endpoint, { model: 'm', stream: true });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text).error.message).toMatch(/"messages" must be a non-empty array/);
  });

  it('answers a body that is not JSON with a 400 that says so', async () => {
    const res = await fetch(`${endpoint.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${endpoint.byokProvider().apiKey}` },
      body: '{"messages":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
  });
});
