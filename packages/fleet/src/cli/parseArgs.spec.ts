import { HostUsageError, parseHostArgs } from './parseArgs';

describe('copilot-rx-host arguments', () => {
  it('reads servers, host and options', () => {
    expect(parseHostArgs(['--nats', 'nats://a:4222', '--nats', 'nats://b:4222', '--host', 'build-7', '--clients', '2', '--health-ttl', '3000'])).toMatchObject({
      servers: ['nats://a:4222', 'nats://b:4222'],
      host: 'build-7',
      clients: 2,
      healthTtlMs: 3000,
    });
  });

  it('reads the remote config policy: a keyword or a list of fields', () => {
    const base = ['--nats', 'n', '--host', 'h'];
    expect(parseHostArgs(base).remoteConfig).toBeUndefined();
    expect(parseHostArgs([...base, '--remote-config', 'allow']).remoteConfig).toBe('allow');
    expect(parseHostArgs([...base, '--remote-config', 'model, provider']).remoteConfig).toEqual(['model', 'provider']);
  });

  it.each([
    [['--nats', 'n', '--host', 'h', '--remote-config', 'model,mcpServers'], /--remote-config: remoteConfig lists fields a remote create cannot carry: "mcpServers"/],
    [['--host', 'h'], /--nats is required/],
    [['--nats', 'n'], /--host is required/],
    [['--nats', 'n', '--host', 'h', '--clients', '0'], /--clients must be a positive integer. Got "0"/],
    [['--nats', 'n', '--host', 'h', '--runtime', 'other'], /--runtime must be cli or sdk-runtime/],
    [['--nats', 'n', '--host', 'h', '--token', 'secret'], /Unknown option '--token'/],
  ])('refuses %j with a usage error naming what was wrong', (argv, message) => {
    expect(() => parseHostArgs(argv)).toThrow(HostUsageError);
    expect(() => parseHostArgs(argv)).toThrow(message);
  });
});
