import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Observable, of, Subject, throwError } from 'rxjs';
import { WebSocket, WebSocketServer } from 'ws';
import { SessionError } from '../errors';
import { BufferOverflowError } from './BufferOverflowError';
import type { StreamOutcome } from './StreamOutcome';
import { toWebSocket, type WebSocketLike } from './toWebSocket';
import { watched } from '../testSupport/watched';

interface Connected {
  /** The server's end, handed to toWebSocket. */
  readonly server: WebSocket;
  /** The peer's end. */
  readonly client: WebSocket;
  readonly messages: string[];
  /** The close code and reason the peer saw. */
  readonly closed: Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

/** A real `ws` server on 127.0.0.1 and one client connected to it. */
async function connect(): Promise<Connected> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const messages: string[] = [];
  client.on('message', (data) => messages.push(String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    client.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve) => client.once('open', () => resolve()));
  const server = await serverSide;
  return {
    server,
    client,
    messages,
    closed,
    dispose: async () => {
      client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}


/** A socket whose buffer level and send callbacks the test controls. */
class FakeSocket extends EventEmitter implements WebSocketLike {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  readonly callbacks: ((error?: Error) => void)[] = [];
  closedWith: [number | undefined, string | undefined] | undefined;
  terminated = false;
  send(data: string, callback?: (error?: Error) => void): void {
    this.sent.push(data);
    if (callback) this.callbacks.push(callback);
  }
  close(code?: number, reason?: string): void {
    this.closedWith = [code, reason];
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('toWebSocket', () => {
  let connected: Connected | undefined;
  afterEach(async () => {
    await connected?.dispose();
    connected = undefined;
  });

  it('sends one JSON message a value and closes with 1000 when the Observable completes', async () => {
    connected = await connect();
    const outcome = await toWebSocket(of({ type: 'a' }, { type: 'b' }), connected.server);
    expect(outcome).toEqual({ reason: 'completed' });
    expect(await connected.closed).toEqual({ code: 1000, reason: 'complete' });
    expect(connected.messages).toEqual(['{"type":"a"}', '{"type":"b"}']);
  });

  it('leaves the socket open on completion when told to', async () => {
    connected = await connect();
    await toWebSocket(of(1), connected.server, { closeOnComplete: false });
    await toWebSocket(of(2), connected.server, { serialize: (n) => `n=${n}` });
    expect(await connected.closed).toEqual({ code: 1000, reason: 'complete' });
    expect(connected.messages).toEqual(['1', 'n=2']);
  });

  it('closes with 1011 and the error message as the reason, after an optional error message', async () => {
    connected = await connect();
    const failure = new SessionError('s1', 'query', 400, 'bad request');
    const outcome = await toWebSocket(throwError(() => failure), connected.server, {
      errorMessage: (error) => JSON.stringify({ type: 'error', error }),
    });
    expect(outcome).toEqual({ reason: 'errored', error: failure });
    const closed = await connected.closed;
    expect(closed.code).toBe(1011);
    expect(failure.message.startsWith(closed.reason)).toBe(true);
    expect(JSON.parse(connected.messages[0]!)).toEqual({
      type: 'error',
      error: { name: 'SessionError', code: 'SESSION_ERROR', message: failure.message },
    });
  });

  it('unsubscribes when the peer closes the socket', async () => {
    connected = await connect();
    const { source, unsubscribed } = watched(new Subject<number>());
    const outcome = toWebSocket(source, connected.server);
    connected.client.close();
    await expect(outcome).resolves.toEqual({ reason: 'disconnected' });
    expect(unsubscribed()).toBe(true);
  });

  it('does not subscribe to a socket that is already closed', async () => {
    const socket = new FakeSocket();
    socket.readyState = 3;
    let subscribed = false;
    await expect(toWebSocket(new Observable(() => void (subscribed = true)), socket)).resolves.toEqual({ reason: 'disconnected' });
    expect(subscribed).toBe(false);
  });

  it('holds messages while bufferedAmount is at the high-water mark and sends them, in order, as the socket drains', () => {
    const socket = new FakeSocket();
    const source = new Subject<number>();
    void toWebSocket(source, socket, { highWaterMark: 100 });
    source.next(1);
    socket.bufferedAmount = 100;
    source.next(2);
    source.next(3);
    expect(socket.sent).toEqual(['1']);

    socket.bufferedAmount = 0;
    socket.callbacks[0]!();
    expect(socket.sent).toEqual(['1', '2', '3']);
    source.next(4);
    expect(socket.sent).toEqual(['1', '2', '3', '4']);
  });

  it('drops a peer that falls more than maxBufferedBytes behind, and unsubscribes', async () => {
    const socket = new FakeSocket();
    socket.bufferedAmount = 10;
    const subject = new Subject<string>();
    const { source, unsubscribed } = watched(subject);
    const outcome = toWebSocket(source, socket, { highWaterMark: 1, maxBufferedBytes: 10, serialize: (s) => s });
    subject.next('12345678');
    expect(unsubscribed()).toBe(false);
    subject.next('90');
    expect(unsubscribed()).toBe(false);
    subject.next('!');
    const result: StreamOutcome = await outcome;
    expect(result.reason).toBe('overflowed');
    expect(result.reason === 'overflowed' && result.error).toBeInstanceOf(BufferOverflowError);
    expect(socket.terminated).toBe(true);
    expect(socket.sent).toEqual([]);
    expect(unsubscribed()).toBe(true);
  });

  it('sends what is still held before the close frame when the Observable completes', () => {
    const socket = new FakeSocket();
    socket.bufferedAmount = 500;
    const source = new Subject<number>();
    void toWebSocket(source, socket, { highWaterMark: 100 });
    source.next(1);
    source.next(2);
    source.complete();
    expect(socket.sent).toEqual(['1', '2']);
    expect(socket.closedWith).toEqual([1000, 'complete']);
  });
});
