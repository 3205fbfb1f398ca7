import { natsConnectOptions, withoutBrokerCredentials } from './natsOptions';

describe('natsConnectOptions', () => {
  const args = { servers: ['nats://a:4222', 'nats://b:4222'], name: 'copilot-rx test' };

  it('takes every server, a name, reconnects forever, and skips async stack traces (a cost on every publish)', () => {
    expect(natsConnectOptions(args, {})).toEqual({ servers: args.servers, name: 'copilot-rx test', maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true });
  });

  it('takes the token, or the user and password, from the environment', () => {
    expect(natsConnectOptions(args, { NATS_TOKEN: 's3cret' })).toMatchObject({ token: 's3cret' });
    expect(natsConnectOptions(args, { NATS_USER: 'ops', NATS_PASSWORD: 'pw' })).toMatchObject({ user: 'ops', pass: 'pw' });
  });

  it('uses the CA file for TLS, and fails naming a credentials file it cannot read', () => {
    expect(natsConnectOptions({ ...args, tlsCaFile: 'ca.pem' }, {})).toMatchObject({ tls: { caFile: 'ca.pem' } });
    expect(() => natsConnectOptions({ ...args, credsFile: 'no-such.creds' }, {})).toThrow(/no-such\.creds/);
  });
});

describe('withoutBrokerCredentials', () => {
  it('hands the CLIs an environment without the broker credentials (a shell tool of the agent could read them)', () => {
    const env = { PATH: '/usr/bin', HOME: '/home/u', NATS_TOKEN: 't', NATS_USER: 'u', NATS_PASSWORD: 'p', COPILOT_CLI_PATH: '/x' };
    expect(withoutBrokerCredentials(env)).toEqual({ PATH: '/usr/bin', HOME: '/home/u', COPILOT_CLI_PATH: '/x' });
  });
});
