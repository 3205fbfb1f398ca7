import { PassThrough, Readable, Writable } from 'node:stream';
import { InvalidStateError } from '../errors';
import { streamTransport } from './streamTransport';

describe('streamTransport', () => {
  it('speaks over the given streams', async () => {
    const readable = new PassThrough();
    const writable = new PassThrough();
    const connection = await streamTransport({ readable, writable }).open();
    expect(connection.readable).toBe(readable);
    expect(connection.writable).toBe(writable);
    expect(connection.description).toBe('a stream pair');
    expect(connection.stderrTail()).toBe('');
    expect(connection.pid).toBeUndefined();
  });

  it('resolves closed when the readable ends', async () => {
    const readable = new PassThrough();
    const connection = await streamTransport({ readable, writable: new PassThrough(), description: 'in-memory' }).open();
    readable.resume();
    readable.end();
    expect(await connection.closed).toEqual({ reason: 'the stream ended', exitCode: null, signal: null });
    expect(connection.description).toBe('in-memory');
  });

  it('reports a failing readable in closed instead of crashing', async () => {
    const readable = new PassThrough();
    const connection = await streamTransport({ readable, writable: new PassThrough() }).open();
    readable.destroy(new Error('boom'));
    expect(await connection.closed).toEqual({ reason: 'the stream failed: boom', exitCode: null, signal: null });
  });

  it('prefers the given closed promise, which can carry an exit code', async () => {
    const info = { reason: 'the CLI exited', exitCode: 2, signal: null };
    const connection = await streamTransport({ readable: new PassThrough(), writable: new PassThrough(), closed: Promise.resolve(info) }).open();
    expect(await connection.closed).toBe(info);
  });

  it('dispose() ends the writable and destroys the readable', async () => {
    const readable = new PassThrough();
    const writable = new PassThrough();
    writable.resume();
    const finished = new Promise((resolve) => writable.once('finish', resolve));
    const connection = await streamTransport({ readable, writable }).open();
    await connection.dispose();
    await finished;
    expect(readable.destroyed).toBe(true);
    expect((await connection.closed).reason).toBe('the stream closed');
  });

  it('kill() destroys both streams', async () => {
    const readable = new PassThrough();
    const writable = new PassThrough();
    const connection = await streamTransport({ readable, writable }).open();
    connection.kill();
    expect(readable.destroyed && writable.destroyed).toBe(true);
  });

  it('may be opened only once', async () => {
    const transport = streamTransport({ readable: Readable.from([]), writable: new Writable({ write: (_c, _e, done) => done() }) });
    expect(transport.kind).toBe('streams');
    await transport.open();
    await expect(transport.open()).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('rejects what is not a stream', () => {
    expect(() => streamTransport({ readable: {} as Readable, writable: new PassThrough() })).toThrow('streamTransport readable must be a Readable stream');
    expect(() => streamTransport({ readable: new PassThrough(), writable: null as unknown as Writable })).toThrow(
      'streamTransport writable must be a Writable stream',
    );
  });
});
