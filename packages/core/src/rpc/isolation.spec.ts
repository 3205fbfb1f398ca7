/**
 * Single frames that used to take the host process down (issue 9 §1), each sent over a real socket
 * in ONE chunk with a canary after it: the bad frame must be reported on `malformed$`, the canary
 * delivered, and nothing may escape the socket's `data` handler (jest fails a test on an uncaught
 * exception, and the canary would never arrive).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { firstValueFrom, take, toArray, timeout } from 'rxjs';
import { streamTransport } from '../transport/streamTransport';
import { RpcConnection } from './connection';
import { FastMessageReader } from './fastReader';
import { ContentLengthSplitter } from './frameSplitter';
import type { MalformedMessageError } from './malformed';
import type { RpcNotification } from './notification';

function frame(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'latin1'), bytes]);
}

const json = (message: unknown) => frame(JSON.stringify(message));
const canary = (n: number) => json({ jsonrpc: '2.0', method: 'canary', params: { n } });
/** `[[[...]]]` nested `levels` deep, as raw JSON text (JSON.stringify could not write it). */
const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** A client RpcConnection over a real 127.0.0.1 socket, and the server's end to write raw bytes to. */
async function overSocket() {
  const server = createServer();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { connect } = await import('node:net');
  const client = connect(port, '127.0.0.1');
  const peer = await accepted;
  const rpc = new RpcConnection(await streamTransport({ readable: client, writable: client }).open());
  return {
    rpc,
    peer,
    close: async () => {
      rpc.dispose();
      client.destroy();
      peer.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The next `count` items, or a failure naming what was waited for after 2 s. */
const next = <T>(source: import('rxjs').Observable<T>, count: number, what: string) =>
  firstValueFrom(source.pipe(take(count), toArray(), timeout({ first: 2000, with: () => { throw new Error(`no ${count} ${what} within 2 s`); } })));

describe('a frame that used to crash the host process', () => {
  it.each([
    ['$/cancelRequest without params', { jsonrpc: '2.0', method: '$/cancelRequest' }],
    ['$/cancelRequest with params null', { jsonrpc: '2.0', method: '$/cancelRequest', params: null }],
    ['$/cancelRequest with a number for params', { jsonrpc: '2.0', method: '$/cancelRequest', params: 7 }],
    ['$/cancelRequest with an object for the id', { jsonrpc: '2.0', method: '$/cancelRequest', params: { id: { a: 1 } } }],
    ['$/progress without params', { jsonrpc: '2.0', method: '$/progress' }],
    ['$/progress with params null', { jsonrpc: '2.0', method: '$/progress', params: null }],
    ['$/progress with a token of the wrong type', { jsonrpc: '2.0', method: '$/progress', params: { token: [], value: 1 } }],
  ])('%s is reported as bad-params, and the frame after it in the same chunk is delivered', async (_, message) => {
    const { rpc, peer, close } = await overSocket();
    const reports = next(rpc.malformed$, 1, 'malformed reports');
    const canaries = next(rpc.notifications$, 1, 'canaries');
    peer.write(Buffer.concat([json(message), canary(1)]));
    expect((await canaries).map((n) => n.params)).toEqual([{ n: 1 }]);
    const [report] = await reports;
    expect(report!.reason).toBe('bad-params');
    expect(report!.detail).toContain((message as { method: string }).method);
    await close();
  });

  it('passes well-formed $/ notifications on untouched', async () => {
    const { rpc, peer, close } = await overSocket();
    const canaries = next(rpc.notifications$, 2, 'notifications');
    const reports: MalformedMessageError[] = [];
    rpc.malformed$.subscribe((e) => reports.push(e));
    peer.write(
      Buffer.concat([
        json({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 99 } }),
        json({ jsonrpc: '2.0', method: '$/progress', params: { token: 't', value: 1 } }),
        json({ jsonrpc: '2.0', method: '$/custom', params: null }),
        canary(1),
      ]),
    );
    // `$/` notifications take vscode-jsonrpc's queue, so their order relative to the fast path is not kept.
    expect((await canaries).map((n) => n.method).sort()).toEqual(['$/custom', 'canary']);
    expect(reports).toEqual([]);
    await close();
  });

  it.each([
    ['a request id', `{"jsonrpc":"2.0","id":${deepArray(20_000)},"method":"x"}`],
    ['a method', `{"jsonrpc":"2.0","method":${deepArray(20_000)}}`],
    ['a $/cancelRequest id', `{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":${deepArray(20_000)}}}`],
  ])('%s nested 20,000 levels deep is reported with a bounded quote, and the next frame delivered', async (_, body) => {
    const { rpc, peer, close } = await overSocket();
    const reports = next(rpc.malformed$, 1, 'malformed reports');
    const canaries = next(rpc.notifications$, 1, 'canaries');
    peer.write(Buffer.concat([frame(body), canary(1)]));
    expect((await canaries).map((n) => n.params)).toEqual([{ n: 1 }]);
    const [report] = await reports;
    expect(report!.detail).toContain('[[[…]]]');
    expect(report!.message.length).toBeLessThan(1000);
    await close();
  });
});

describe('a response whose error vscode-jsonrpc would choke on', () => {
  /** The id of the next request the client sends, read off the peer's socket. */
  const nextRequestId = (peer: Socket) =>
    new Promise<unknown>((resolve) => {
      const splitter = new ContentLengthSplitter();
      peer.on('data', (chunk: Buffer) => {
        splitter.push(chunk);
        const body = splitter.next();
        if (typeof body === 'string') resolve((JSON.parse(body) as { id: unknown }).id);
      });
    });

  it.each([
    ['a message nested 20,000 levels deep', (id: unknown) => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":{"code":1,"message":${deepArray(20_000)}}}`],
    ['null and no result', (id: unknown) => JSON.stringify({ jsonrpc: '2.0', id, error: null })],
    ['a string', (id: unknown) => JSON.stringify({ jsonrpc: '2.0', id, error: 'boom' })],
  ])('(%s) fails the request at once with an RpcError, is reported, and the next frame is delivered', async (_, answer) => {
    const { rpc, peer, close } = await overSocket();
    const reports = next(rpc.malformed$, 1, 'malformed reports');
    const canaries = next(rpc.notifications$, 1, 'canaries');
    const id = nextRequestId(peer);
    const call = rpc.call('ask');
    peer.write(Buffer.concat([frame(answer(await id)), canary(1)]));
    await expect(call).rejects.toMatchObject({ code: 'RPC_ERROR', message: expect.stringContaining('the CLI sent a malformed error response') });
    expect((await canaries).map((n) => n.params)).toEqual([{ n: 1 }]);
    expect((await reports).map((r) => r.reason)).toEqual(['not-json-rpc']);
    await close();
  });
});

describe('FastMessageReader isolates every callback it runs', () => {
  const setup = (sink: { notification?: (m: RpcNotification) => void; listen?: () => void }) => {
    const { PassThrough } = require('node:stream') as typeof import('node:stream');
    const stream = new PassThrough();
    const delivered: unknown[] = [];
    const malformed: MalformedMessageError[] = [];
    const reader = new FastMessageReader(stream, {
      notification: (m) => {
        sink.notification?.(m);
        delivered.push(m.params);
      },
      malformed: (e) => malformed.push(e),
    });
    reader.listen(() => sink.listen?.());
    return { stream, delivered, malformed, reader };
  };
  const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('reports a notification sink that throws as delivery-failed and delivers the next frame', async () => {
    const { stream, delivered, malformed } = setup({
      notification: (m) => {
        if ((m.params as { n: number }).n === 1) throw new TypeError('subscriber bug');
      },
    });
    stream.write(Buffer.concat([canary(1), canary(2)]));
    await macrotask();
    expect(delivered).toEqual([{ n: 2 }]);
    expect(malformed.map((e) => [e.reason, e.detail])).toEqual([['delivery-failed', expect.stringContaining('subscriber bug')]]);
  });

  it('reports vscode-jsonrpc throwing on a $/ notification as delivery-failed and reads on', async () => {
    const { stream, delivered, malformed } = setup({ listen: () => { throw new Error('jsonrpc bug'); } });
    stream.write(Buffer.concat([json({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 1 } }), canary(2)]));
    await macrotask();
    expect(delivered).toEqual([{ n: 2 }]);
    expect(malformed.map((e) => e.reason)).toEqual(['delivery-failed']);
  });

  it('survives a malformed sink that throws too: the frame after is still delivered', async () => {
    const { PassThrough } = require('node:stream') as typeof import('node:stream');
    const stream = new PassThrough();
    const delivered: unknown[] = [];
    const reader = new FastMessageReader(stream, {
      notification: (m) => delivered.push(m.params),
      malformed: () => {
        throw new Error('malformed sink bug');
      },
    });
    reader.listen(() => undefined);
    stream.write(Buffer.concat([frame('not json'), canary(2)]));
    await macrotask();
    expect(delivered).toEqual([{ n: 2 }]);
  });
});
