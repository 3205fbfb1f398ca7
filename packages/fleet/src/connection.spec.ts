import { connect, type NatsConnection } from '@nats-io/transport-node';
import { openConnection } from './connection';

jest.mock('@nats-io/transport-node', () => ({ connect: jest.fn(async () => ({ fake: 'connection' })) }));
const connectMock = connect as jest.MockedFunction<typeof connect>;

describe('openConnection', () => {
  beforeEach(() => connectMock.mockClear());

  it('opens a connection without async stack traces (a cost on every publish), named, and owns it', async () => {
    const { owned } = await openConnection({ connect: { servers: 'nats://127.0.0.1:4222' } }, 'copilot-rx-host h');
    expect(owned).toBe(true);
    expect(connectMock).toHaveBeenCalledWith({ name: 'copilot-rx-host h', noAsyncTraces: true, servers: 'nats://127.0.0.1:4222' });
  });

  it('lets the app’s own options win', async () => {
    await openConnection({ connect: { servers: 'nats://127.0.0.1:4222', noAsyncTraces: false, name: 'mine' } }, 'copilot-rx-host h');
    expect(connectMock).toHaveBeenCalledWith({ name: 'mine', noAsyncTraces: false, servers: 'nats://127.0.0.1:4222' });
  });

  it('uses an open connection as it is and does not own it', async () => {
    const nc = { fake: 'app connection' } as unknown as NatsConnection;
    expect(await openConnection({ connection: nc }, 'copilot-rx-host h')).toEqual({ nc, owned: false });
    expect(connectMock).not.toHaveBeenCalled();
  });
});
