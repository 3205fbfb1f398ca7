import { ArgvError, parseAgentArgs } from './argv';

describe('parseAgentArgs', () => {
  it('reads the argv the SDK passes to the CLI', () => {
    expect(parseAgentArgs(['--headless', '--no-auto-update', '--log-level', 'error', '--stdio', '--auth-token-env', 'X', '--no-auto-login'])).toEqual({ mode: 'stdio', port: 0 });
    expect(parseAgentArgs(['--headless', '--port', '4321'])).toEqual({ mode: 'tcp', port: 4321 });
    expect(parseAgentArgs(['--port=0', '--script', 'a.js'])).toEqual({ mode: 'tcp', port: 0, script: 'a.js' });
  });

  it('refuses bad values and hosts other than loopback, naming them', () => {
    expect(() => parseAgentArgs(['--port', 'http'])).toThrow(new ArgvError("error: option '--port <port>' argument 'http' is invalid: a port is an integer from 0 to 65535"));
    expect(() => parseAgentArgs(['--host', '0.0.0.0'])).toThrow('error: the fake agent only listens on 127.0.0.1; got --host 0.0.0.0');
    expect(() => parseAgentArgs(['--log-level'])).toThrow("error: option '--log-level' argument missing");
  });
});
