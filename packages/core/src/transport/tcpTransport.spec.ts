import { createServer, Socket, type Server } from 'node:net';
import { CliConnectError, InvalidStateError } from '../errors';
import { readUntil } from './fixtures/fakeCliFixture';
import { tcpTransport } from './tcpTransport';
import type { TransportConnection } from './types';

describe('tcpTransport', () => {
  let server: Server;
  let port: number;
  let serverSockets: Socket[];
  const opened: TransportConnection[] = [];

  beforeEach(async () => {
    serverSockets = [];
    server = createServer((socket) => {
      serverSockets.push(socket);
      socket.on('error', () => undefined);
      socket.pipe(socket); // echo
    });
    port = await listen(server);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const connection of opened.splice(0)) connection.kill();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  });

  async function open(connectionToken?: string): Promise<TransportConnection> {
    const connection = await tcpTransport({ port, connectionToken }).open();
    opened.push(connection);
    return connection;
  }

  it('connects to 127.0.0.1 with Nagle off and carries bytes both ways', async () => {
    const noDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
    const connection = await open('the-token');
    const socket = connection.readable as Socket;
    expect(connection.writable).toBe(socket);
    expect(socket.remoteAddress).toBe('127.0.0.1');
    expect(socket.remotePort).toBe(port);
    expect(noDelay.mock.calls[noDelay.mock.contexts.indexOf(socket)]).toEqual([true]);

    const echoed = readUntil(connection.readable, 'pong');
    connection.writable.write('ping pong');
    expect(await echoed).toBe('ping pong');
    expect(connection).toMatchObject({ port, connectionToken: 'the-token', description: `copilot server at 127.0.0.1:${port}` });
    expect(connection.pid).toBeUndefined();
    expect(connection.stderrTail()).toBe('');
  });

  it('names host and port when the connection is refused', async () => {
    await new Promise((resolve) => server.close(resolve));
    const error = await tcpTransport({ port }).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliConnectError);
    expect((error as CliConnectError).code).toBe('CLI_CONNECT_FAILED');
    expect((error as Error).message).toContain(`Could not connect to the Copilot CLI server at 127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('resolves closed when the server closes the socket', async () => {
    const connection = await open();
    connection.readable.resume();
    await until(() => serverSockets.length === 1);
    serverSockets[0]?.end();
    expect(await connection.closed).toEqual({ reason: 'the socket closed', exitCode: null, signal: null });
  });

  it('says why in closed when the server resets the connection', async () => {
    const connection = await open();
    connection.readable.resume();
    await until(() => serverSockets.length === 1);
    serverSockets[0]?.resetAndDestroy();
    expect(await connection.closed).toEqual({ reason: 'the socket closed (ECONNRESET)', exitCode: null, signal: null });
  });

  it('dispose() ends the socket politely and resolves once it is closed', async () => {
    const connection = await open();
    await until(() => serverSockets.length === 1);
    const serverSawEnd = new Promise((resolve) => serverSockets[0]?.once('end', resolve));
    await connection.dispose();
    await serverSawEnd;
    expect((connection.readable as Socket).closed).toBe(true);
    expect((await connection.closed).reason).toBe('the socket closed');
  });

  it('kill() destroys the socket', async () => {
    const connection = await open();
    connection.kill();
    expect((connection.readable as Socket).destroyed).toBe(true);
    expect((await connection.closed).reason).toBe('the socket closed');
  });

  it('may be opened only once, and rejects invalid options when created', async () => {
    const transport = tcpTransport({ port });
    opened.push(await transport.open());
    await expect(transport.open()).rejects.toBeInstanceOf(InvalidStateError);
    expect(() => tcpTransport({ port: 0 })).toThrow('port must be an integer from 1 to 65535. Got 0');
    expect(() => tcpTransport({ port: '4321' as unknown as number })).toThrow('port must be an integer from 1 to 65535. Got "4321"');
    expect(() => tcpTransport({ port, connectTimeoutMs: 0 })).toThrow('connectTimeoutMs must be a positive number of milliseconds. Got 0');
    expect(() => tcpTransport({ port, connectionToken: '' })).toThrow('connectionToken must be a non-empty string');
  });
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : -1);
    });
  });
}

/** Waits (event-loop turns, not time) until `condition` holds: the server's accept lags the client's connect. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
