import { withoutBrokerCredentials } from './main';

describe('copilot-rx-host hands its CLIs', () => {
  it('an environment without the broker credentials (a shell tool of the agent could read them)', () => {
    const env = { PATH: '/usr/bin', HOME: '/home/u', NATS_TOKEN: 't', NATS_USER: 'u', NATS_PASSWORD: 'p', COPILOT_CLI_PATH: '/x' };
    expect(withoutBrokerCredentials(env)).toEqual({ PATH: '/usr/bin', HOME: '/home/u', COPILOT_CLI_PATH: '/x' });
  });
});
