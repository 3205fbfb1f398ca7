import { EventEmitter } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NEVER, Observable, of, Subject, throwError, VirtualTimeScheduler } from 'rxjs';
import { CopilotRxClient } from '../client/CopilotRxClient';
import { SessionError } from '../errors';
import { FakeCli } from '../testSupport/fakeCli';
import { BufferOverflowError } from './BufferOverflowError';
import { formatServerSentEvent } from './serverSentEventFrame';
import type { StreamOutcome } from './StreamOutcome';
import { toServerSentEvents, type SseResponse } from './toServerSentEvents';
import { watched } from '../testSupport/watched';

interface Served {
  readonly url: string;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 whose one route is `handler`. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Served> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => http.get(url, resolve).on('error', reject));
}

async function readAll(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return text;
}

/** Parses an event stream into its frames (comments dropped). */
function frames(text: string): { event?: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block !== '' && !block.startsWith(':'))
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return event === undefined ? { data } : { event, data };
    });
}

/** A source that records whether its subscriber went away. */

/** An in-memory response, for what needs virtual time rather than a socket. */
class FakeResponse extends EventEmitter {
  written = '';
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  status: number | undefined;
  writeHead(status: number): this {
    this.status = status;
    this.headersSent = true;
    return this;
  }
  write(chunk: string): boolean {
    this.written += chunk;
    return true;
  }
  end(): this {
    this.writableEnded = true;
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    return this;
  }
}
const fake = (res: FakeResponse): SseResponse => res as unknown as SseResponse;

describe('toServerSentEvents', () => {
  let served: Served | undefined;
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  it('writes a frame a value, named by its type, then an end event, and ends the response', async () => {
    let outcome: Promise<StreamOutcome> | undefined;
    served = await serve((_req, res) => {
      outcome = toServerSentEvents(of({ type: 'assistant.message_delta', text: 'He' }, { type: 'assistant.message_delta', text: 'llo' }, 42), res);
    });
    const res = await get(served.url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    expect(frames(await readAll(res))).toEqual([
      { event: 'assistant.message_delta', data: '{"type":"assistant.message_delta","text":"He"}' },
      { event: 'assistant.message_delta', data: '{"type":"assistant.message_delta","text":"llo"}' },
      { data: '42' },
      { event: 'end', data: '{}' },
    ]);
    await expect(outcome).resolves.toEqual({ reason: 'completed' });
  });

  it('uses the configured event names, ids and serialisation, and sends no end event when told not to', async () => {
    served = await serve((_req, res) => {
      void toServerSentEvents(of(1, 2), res, { event: () => 'n', id: (n) => `id-${n}`, serialize: (n) => `${n * 10}`, completeEvent: null });
    });
    const text = await readAll(await get(served.url));
    expect(text).toBe('event: n\nid: id-1\ndata: 10\n\nevent: n\nid: id-2\ndata: 20\n\n');
  });

  it('writes an error event with name, code and message (never the stack), then ends the response', async () => {
    let outcome: Promise<StreamOutcome> | undefined;
    const failure = new SessionError('s1', 'query', 400, 'bad request');
    served = await serve((_req, res) => {
      outcome = toServerSentEvents(throwError(() => failure), res);
    });
    const text = await readAll(await get(served.url));
    expect(frames(text)).toEqual([
      { event: 'error', data: JSON.stringify({ name: 'SessionError', code: 'SESSION_ERROR', message: failure.message }) },
    ]);
    expect(text).not.toContain('at ');
    await expect(outcome).resolves.toEqual({ reason: 'errored', error: failure });
  });

  it('fails the stream with an error event when a value cannot be framed, instead of corrupting it', async () => {
    let outcome: Promise<StreamOutcome> | undefined;
    served = await serve((_req, res) => {
      outcome = toServerSentEvents(of({ type: 'ok' }, { type: 'two\nlines' }, { type: 'never sent' }), res);
    });
    const parsed = frames(await readAll(await get(served.url)));
    expect(parsed.map((f) => f.event)).toEqual(['ok', 'error']);
    expect(parsed[1]?.data).toContain('An SSE event name must be one line');
    expect((await outcome)?.reason).toBe('errored');
  });

  it('unsubscribes when the client goes away, which aborts the running turn on the CLI', async () => {
    const cli = new FakeCli();
    const client = new CopilotRxClient({ transport: cli.transport() });
    await client.start();
    const session = await client.createSession();
    cli.streamEndlessTurns(session.id);
    let outcome: Promise<StreamOutcome> | undefined;
    served = await serve((_req, res) => {
      outcome = toServerSentEvents(session.send('hi'), res);
    });

    const res = await get(served.url);
    await new Promise<void>((resolve) => res.on('data', (chunk) => String(chunk).includes('Hel') && resolve()));
    res.destroy();

    await expect(outcome).resolves.toEqual({ reason: 'disconnected' });
    expect((await cli.nextRequest('session.abort')).params).toEqual({ sessionId: session.id });
    await client.stop();
  });

  it('waits for drain once write() returns false, and delivers everything in order', async () => {
    const source = new Subject<string>();
    const log: string[] = [];
    let saturated!: () => void;
    const firstFalse = new Promise<void>((resolve) => (saturated = resolve));
    let outcome: Promise<StreamOutcome> | undefined;
    served = await serve((_req, res) => {
      const write = res.write.bind(res) as (chunk: string) => boolean;
      res.write = ((chunk: string) => {
        const accepted = write(chunk);
        log.push(accepted ? 'write' : 'write-false');
        if (!accepted) saturated();
        return accepted;
      }) as typeof res.write;
      res.on('drain', () => log.push('drain'));
      outcome = toServerSentEvents(source, res, { event: () => undefined });
    });
    const res = await get(served.url);
    res.pause();
    const big = 'x'.repeat(64 * 1024);
    let sent = 0;
    // Push until the socket is saturated, then more while it is.
    while (log.at(-1) !== 'write-false') source.next(`${sent++}${big}`);
    await firstFalse;
    for (let i = 0; i < 20; i++) source.next(`${sent++}${big}`);
    log.push('complete');
    source.complete();
    res.resume();
    const received = frames(await readAll(res)).map((f) => f.data);

    expect(received.slice(0, sent).map((data) => Number.parseInt(data.slice(1), 10))).toEqual(
      Array.from({ length: sent }, (_, i) => i),
    );
    expect(received.at(-1)).toBe('{}');
    // The 20 values pushed while the socket was saturated waited: no write until the completion
    // handed over what was waiting (bounded by maxBufferedBytes) in one write.
    const refused = log.indexOf('write-false');
    expect(log.slice(refused, refused + 3)).toEqual(['write-false', 'complete', expect.stringMatching(/^write/)]);
    expect(log.slice(refused + 3).filter((entry) => entry !== 'drain')).toEqual([]);
    await expect(outcome).resolves.toEqual({ reason: 'completed' });
  });

  it('cuts a client that stops reading once maxBufferedBytes wait, and unsubscribes', async () => {
    const subject = new Subject<string>();
    const { source, teardown } = watched(subject);
    let outcome: Promise<StreamOutcome> | undefined;
    served = await serve((_req, res) => {
      outcome = toServerSentEvents(source, res, { maxBufferedBytes: 256 * 1024 });
    });
    const res = await get(served.url);
    res.pause();
    res.on('error', () => undefined);
    let settled = false;
    while (!settled) {
      await new Promise(setImmediate);
      subject.next('y'.repeat(64 * 1024));
      settled = await Promise.race([outcome!.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
    }
    const result = await outcome!;
    expect(result.reason).toBe('overflowed');
    expect(result.reason === 'overflowed' && result.error).toBeInstanceOf(BufferOverflowError);
    await teardown;
    expect(subject.observed).toBe(false);
  });

  it('sends heartbeat comments on the scheduler, and an abort signal ends the response', async () => {
    const scheduler = new VirtualTimeScheduler();
    const res = new FakeResponse();
    const controller = new AbortController();
    const { source, teardown } = watched(NEVER);
    const outcome = toServerSentEvents(source, fake(res), { heartbeatMs: 1000, signal: controller.signal, scheduler });
    scheduler.maxFrames = 3500;
    scheduler.flush();
    expect(res.written).toBe(': heartbeat\n\n'.repeat(3));
    controller.abort();
    await expect(outcome).resolves.toEqual({ reason: 'aborted' });
    await teardown;
    expect(res.writableEnded).toBe(true);
    expect(res.status).toBe(200);
  });

  it('does nothing but end the response when the signal has already fired', async () => {
    const res = new FakeResponse();
    const controller = new AbortController();
    controller.abort();
    let subscribed = false;
    const outcome = await toServerSentEvents(new Observable(() => void (subscribed = true)), fake(res), { signal: controller.signal });
    expect(outcome).toEqual({ reason: 'aborted' });
    expect(subscribed).toBe(false);
    expect(res.writableEnded).toBe(true);
  });
});

describe('formatServerSentEvent', () => {
  it('writes one data line per line of a multi-line payload', () => {
    expect(formatServerSentEvent({ event: 'e', id: '7', data: 'a\nb\r\nc' })).toBe('event: e\nid: 7\ndata: a\ndata: b\ndata: c\n\n');
  });

  it('refuses an id that would break the framing, quoting it', () => {
    expect(() => formatServerSentEvent({ id: 'a\nb', data: '' })).toThrow('An SSE id must be one line without NUL. Got "a\\nb"');
  });
});
