import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { firstValueFrom, take, toArray } from 'rxjs';
import type { TransportCloseInfo, TransportConnection } from '../transport/types';
import { RpcConnection } from './connection';
import { ContentLengthSplitter } from './frameSplitter';
import type { MalformedMessageError } from './malformed';

type Json = Record<string, unknown>;

function frame(message: Json | string): Buffer {
  const body = Buffer.from(typeof message === 'string' ? message : JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
}

/** A transport over two PassThroughs, and the server's end of it: raw writes in, parsed requests out. */
function wire() {
  const toClient = new PassThrough();
  const fromClient = new PassThrough();
  let close!: (info: TransportCloseInfo) => void;
  const closed = new Promise<TransportCloseInfo>((resolve) => (close = resolve));
  const transport: TransportConnection = {
    readable: toClient,
    writable: fromClient,
    closed,
    description: 'test wire',
    stderrTail: () => '',
    dispose: async () => {
      toClient.end();
      close({ reason: 'disposed', exitCode: 0, signal: null });
    },
    kill: () => close({ reason: 'killed', exitCode: null, signal: 'SIGKILL' }),
  };
  const received: Json[] = [];
  const waiters: (() => void)[] = [];
  const splitter = new ContentLengthSplitter();
  fromClient.on('data', (chunk: Buffer) => {
    splitter.push(chunk);
    for (let body = splitter.next(); typeof body === 'string'; body = splitter.next()) received.push(JSON.parse(body) as Json);
    for (const wake of waiters.splice(0)) wake();
  });
  const requests = async (count: number): Promise<Json[]> => {
    while (received.filter((m) => m['method'] !== undefined).length < count) await new Promise<void>((r) => waiters.push(r));
    return received.filter((m) => m['method'] !== undefined);
  };
  /** Writes the frames in ONE write, so they reach the client in one chunk. */
  const send = (...messages: (Json | string)[]) => toClient.write(Buffer.concat(messages.map(frame)));
  /** The client's answer to the server request `id`. */
  const response = async (id: number): Promise<Json> => {
    for (;;) {
      const found = received.find((m) => m['id'] === id && m['method'] === undefined);
      if (found) return found;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { transport, send, requests, response, toClient, close };
}

const note = (method: string): Json => ({ jsonrpc: '2.0', method, params: {} });
const answer = (id: unknown, result: unknown = null): Json => ({ jsonrpc: '2.0', id, result });
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('RpcConnection ordering across notifications and responses', () => {
  it('runs the code after `await call()` before a notification that followed the response on the wire', async () => {
    const { transport, send, requests } = wire();
    const rpc = new RpcConnection(transport);
    const log: string[] = [];
    rpc.notifications$.subscribe((n) => log.push(n.method));
    const call = rpc.call('ask').then(async () => {
      log.push('response');
      await null;
      await Promise.resolve();
      log.push('three awaits later');
    });
    const [request] = await requests(1);
    send(answer(request!['id'], 'yes'), note('after'));
    await call;
    await until(() => log.length === 3);
    expect(log).toEqual(['response', 'three awaits later', 'after']);
    rpc.dispose();
  });

  it('delivers a notification that preceded the response first', async () => {
    const { transport, send, requests } = wire();
    const rpc = new RpcConnection(transport);
    const log: string[] = [];
    rpc.notifications$.subscribe((n) => log.push(n.method));
    const call = rpc.call('ask').then(() => log.push('response'));
    const [request] = await requests(1);
    send(note('before'), answer(request!['id']));
    await call;
    expect(log).toEqual(['before', 'response']);
    rpc.dispose();
  });

  it('calls a server request handler before a notification that followed the request', async () => {
    const { transport, send } = wire();
    const rpc = new RpcConnection(transport);
    const log: string[] = [];
    rpc.notifications$.subscribe((n) => log.push(n.method));
    rpc.handleRequest('userInput.request', () => {
      log.push('handler');
      return { answer: 'ok' };
    });
    send({ jsonrpc: '2.0', id: 1, method: 'userInput.request', params: {} }, note('after'));
    await until(() => log.length === 2);
    expect(log).toEqual(['handler', 'after']);
    rpc.dispose();
  });

  it('keeps wire order for any interleaving of responses and notifications, across any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }).chain((calls) =>
          fc.record({
            order: fc.shuffledSubarray([...Array(calls).keys()], { minLength: calls, maxLength: calls }),
            notesBefore: fc.array(fc.nat(4), { minLength: calls + 1, maxLength: calls + 1 }),
            cuts: fc.array(fc.nat(), { maxLength: 8 }),
          }),
        ),
        async ({ order, notesBefore, cuts }) => {
          const { transport, requests, toClient } = wire();
          const rpc = new RpcConnection(transport);
          const log: string[] = [];
          rpc.notifications$.subscribe((n) => log.push(n.method));
          const calls = order.map((_, i) =>
            rpc.call(`m${i}`).then(async () => {
              await null;
              log.push(`r${i}`);
            }),
          );
          const sent = await requests(order.length);
          const idOf = (i: number) => sent.find((m) => m['method'] === `m${i}`)!['id'];
          const expected: string[] = [];
          const frames: Buffer[] = [];
          let n = 0;
          order.forEach((callIndex, position) => {
            for (let k = 0; k < notesBefore[position]!; k++, n++) {
              frames.push(frame(note(`n${n}`)));
              expected.push(`n${n}`);
            }
            frames.push(frame(answer(idOf(callIndex))));
            expected.push(`r${callIndex}`);
          });
          for (let k = 0; k < notesBefore[order.length]!; k++, n++) {
            frames.push(frame(note(`n${n}`)));
            expected.push(`n${n}`);
          }
          const bytes = Buffer.concat(frames);
          const points = [...new Set(cuts.map((c) => c % bytes.length))].sort((a, b) => a - b);
          let start = 0;
          for (const point of [...points, bytes.length]) {
            toClient.write(bytes.subarray(start, point));
            start = point;
          }
          await Promise.all(calls);
          await until(() => log.length === expected.length);
          expect(log).toEqual(expected);
          rpc.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('RpcConnection with bad input', () => {
  it('reports malformed frames and messages on malformed$ and keeps serving requests', async () => {
    const { transport, send, toClient, requests } = wire();
    const rpc = new RpcConnection(transport);
    const malformed = firstValueFrom(rpc.malformed$.pipe(take(4), toArray()));
    const notes = firstValueFrom(rpc.notifications$.pipe(take(1), toArray()));
    toClient.write('Content-Length: nope\r\n\r\n{}');
    send('{"jsonrpc":"2.0","method":', { jsonrpc: '2.0', result: 1 }, note('still here'));
    expect((await notes).map((n) => n.method)).toEqual(['still here']);
    const errors: MalformedMessageError[] = await malformed;
    expect(errors.map((e) => e.reason)).toEqual(['bad-header', 'resynchronised', 'bad-json', 'not-json-rpc']);
    expect(errors[0]!.message).toContain("Content-Length value must be a number. Got 'nope'");

    const call = rpc.call('ping');
    const [request] = await requests(1);
    send(answer(request!['id'], 'pong'));
    await expect(call).resolves.toBe('pong');
    rpc.dispose();
  });

  it('passes $/ notifications vscode-jsonrpc does not implement on to notifications$', async () => {
    const { transport, send } = wire();
    const rpc = new RpcConnection(transport);
    const next = firstValueFrom(rpc.notifications$);
    send({ jsonrpc: '2.0', method: '$/custom', params: { x: 1 } });
    expect(await next).toEqual({ method: '$/custom', params: { x: 1 } });
    rpc.dispose();
  });

  it('completes malformed$ on dispose', async () => {
    const { transport } = wire();
    const rpc = new RpcConnection(transport);
    const all = firstValueFrom(rpc.malformed$.pipe(toArray()));
    rpc.dispose();
    await settle();
    expect(await all).toEqual([]);
  });
});

describe('RpcConnection at the end of the stream', () => {
  it('delivers the frames held behind a response, and reports a cut frame, before failing with the closure', async () => {
    const { transport, send, toClient, requests, close } = wire();
    const rpc = new RpcConnection(transport);
    const seen: string[] = [];
    const ended = new Promise<unknown>((resolve) => {
      rpc.notifications$.subscribe({ next: (n) => seen.push(n.method), error: resolve });
    });
    const reports = firstValueFrom(rpc.malformed$.pipe(toArray()));
    const call = rpc.call('ping');
    const [request] = await requests(1);
    // The CLI's last words, then its exit: the response holds the notification behind it (the
    // ordering barrier), and the transport reports the closure on the same end of stream.
    send(answer(request!['id'], 'pong'), note('session.idle'));
    toClient.end(Buffer.from('Content-Length: 10\r\n\r\n{"js', 'latin1'));
    close({ reason: 'the CLI exited', exitCode: 0, signal: null });

    await expect(call).resolves.toBe('pong');
    expect(await ended).toMatchObject({ name: 'ConnectionClosedError' });
    expect(seen).toEqual(['session.idle']);
    expect((await reports).map((r) => r.reason)).toEqual(['truncated']);
  });
});

describe('RpcConnection between the end of the stream and the closure report', () => {
  it('fails a request sent in that window with ConnectionClosedError, not vscode-jsonrpc’s own ConnectionError', async () => {
    const { transport, toClient, close } = wire();
    const rpc = new RpcConnection(transport);
    const streamEnded = new Promise<void>((resolve) => toClient.once('end', resolve));
    toClient.end();
    await streamEnded;
    await settle();
    // The stream is gone, the process has not reported its exit yet: vscode-jsonrpc throws at once.
    expect(rpc.closedError).toBeUndefined();
    const failure = rpc.call('session.send', { prompt: 'late' }).catch((error: unknown) => error);
    close({ reason: 'the CLI exited', exitCode: 3, signal: null });
    const error = await failure;
    expect(error).toMatchObject({ name: 'ConnectionClosedError', exitCode: 3 });
    expect(error).toBe(rpc.closedError);
  });
});

describe('RpcConnection error replies to the CLI', () => {
  const deep = (levels: number): unknown => {
    let value: unknown = 'core';
    for (let i = 0; i < levels; i++) value = [value];
    return value;
  };

  it('quote what a handler threw and a method nobody handles, bounded, whatever their size', async () => {
    const { transport, send, response } = wire();
    const rpc = new RpcConnection(transport);
    rpc.handleRequest('huge.message', () => {
      throw new Error(`bad: ${'x'.repeat(1_000_000)}`);
    });
    rpc.handleRequest('deep.value', () => {
      throw deep(20_000);
    });
    send(
      { jsonrpc: '2.0', id: 1, method: 'huge.message', params: {} },
      { jsonrpc: '2.0', id: 2, method: 'deep.value', params: {} },
      { jsonrpc: '2.0', id: 3, method: `unknown.${'m'.repeat(1_000_000)}`, params: {} },
    );
    const messages = await Promise.all([1, 2, 3].map(async (id) => ((await response(id))['error'] as { message: string }).message));
    for (const message of messages) expect(message.length).toBeLessThan(1_200);
    expect(messages[0]).toMatch(/^huge\.message failed in the client: bad: x+…$/);
    expect(messages[1]).toMatch(/^deep\.value failed in the client: \[\[\[\[…\]\]\]\]$/);
    expect(messages[2]).toMatch(/^copilot-rx does not handle the server request "unknown\.m+…; nothing registered an answer for it$/);
    rpc.dispose();
  });
});
