import { buildCliArgs, buildCliCommand, buildCliEnv } from './cliLaunch';
import type { CliLogLevel } from './types';

const STDIO = { kind: 'stdio' } as const;
const tcp = (port?: number) => ({ kind: 'tcp', port, connectionToken: 'conn-token-123' }) as const;

describe('buildCliArgs', () => {
  it('is the headless stdio command line by default', () => {
    expect(buildCliArgs({}, STDIO)).toEqual(['--headless', '--no-auto-update', '--stdio']);
  });

  it('puts the user args first, then log level, mode and auth flags, in protocol order', () => {
    expect(buildCliArgs({ args: ['--model', 'x'], logLevel: 'error', authToken: 'gho_secret' }, STDIO)).toEqual([
      '--model',
      'x',
      '--headless',
      '--no-auto-update',
      '--log-level',
      'error',
      '--stdio',
      '--auth-token-env',
      'COPILOT_SDK_AUTH_TOKEN',
      '--no-auto-login',
    ]);
  });

  it('never puts the auth token itself on the command line', () => {
    expect(buildCliArgs({ authToken: 'gho_secret' }, tcp()).join(' ')).not.toContain('gho_secret');
    expect(buildCliArgs({}, tcp()).join(' ')).not.toContain('conn-token-123');
  });

  it('passes no --stdio over tcp, and --port only for a chosen port', () => {
    expect(buildCliArgs({}, tcp())).toEqual(['--headless', '--no-auto-update']);
    expect(buildCliArgs({}, tcp(0))).toEqual(['--headless', '--no-auto-update']);
    expect(buildCliArgs({ logLevel: 'debug' }, tcp(4321))).toEqual(['--headless', '--no-auto-update', '--log-level', 'debug', '--port', '4321']);
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => buildCliArgs({ logLevel: 'loud' as CliLogLevel }, STDIO)).toThrow('logLevel must be one of none, error, warning, info, debug, all. Got "loud"');
    expect(() => buildCliArgs({ args: ['--ok', 3 as unknown as string] }, STDIO)).toThrow('CLI args must be an array of strings. Got ["--ok",3]');
    expect(() => buildCliArgs({}, tcp(70000))).toThrow('port must be an integer from 0 to 65535. Got 70000');
    expect(() => buildCliArgs({}, tcp(1.5))).toThrow('port must be an integer from 0 to 65535. Got 1.5');
    expect(() => buildCliArgs({ startupTimeoutMs: -1 }, STDIO)).toThrow('startupTimeoutMs must be a positive number of milliseconds. Got -1');
    expect(() => buildCliArgs({ authToken: '' }, STDIO)).toThrow('authToken must be a non-empty string');
  });
});

describe('buildCliEnv', () => {
  const base = { PATH: '/bin', NODE_DEBUG: 'net,http', KEEP: 'me' };

  it('starts from options.env, drops NODE_DEBUG, and leaves the given env untouched', () => {
    const env = buildCliEnv({ env: base }, STDIO);
    expect(env).toEqual({ PATH: '/bin', KEEP: 'me' });
    expect(base.NODE_DEBUG).toBe('net,http');
  });

  it('starts from process.env when no env is given', () => {
    process.env['COPILOT_RX_SPEC_MARKER'] = 'present';
    try {
      expect(buildCliEnv({}, STDIO)['COPILOT_RX_SPEC_MARKER']).toBe('present');
    } finally {
      delete process.env['COPILOT_RX_SPEC_MARKER'];
    }
  });

  it('carries the auth token in COPILOT_SDK_AUTH_TOKEN', () => {
    expect(buildCliEnv({ env: base, authToken: 'gho_secret' }, STDIO)).toEqual({ PATH: '/bin', KEEP: 'me', COPILOT_SDK_AUTH_TOKEN: 'gho_secret' });
  });

  it('carries the connection token in COPILOT_CONNECTION_TOKEN over tcp only', () => {
    expect(buildCliEnv({ env: base }, tcp())).toEqual({ PATH: '/bin', KEEP: 'me', COPILOT_CONNECTION_TOKEN: 'conn-token-123' });
    expect(buildCliEnv({ env: { ...base, COPILOT_CONNECTION_TOKEN: 'inherited' } }, STDIO)['COPILOT_CONNECTION_TOKEN']).toBe('inherited');
  });
});

describe('buildCliCommand', () => {
  it('runs a native binary directly', () => {
    const command = buildCliCommand('/opt/copilot', { env: {} }, STDIO);
    expect(command).toEqual({ command: '/opt/copilot', args: ['--headless', '--no-auto-update', '--stdio'], env: {} });
  });

  it('runs a .js entry with this Node', () => {
    const command = buildCliCommand('/opt/cli/index.js', { env: {} }, STDIO);
    expect(command.command).toBe(process.execPath);
    expect(command.args).toEqual(['/opt/cli/index.js', '--headless', '--no-auto-update', '--stdio']);
  });
});
