/** The app's command line. */
import { parseAppArgs } from './args';

describe('parseAppArgs', () => {
  it('defaults to the offline dashboard with its demo sessions on a free port', () => {
    expect(parseAppArgs([])).toEqual({
      prompt: undefined,
      live: false,
      offline: false,
      port: 0,
      model: undefined,
      demo: true,
      help: false,
      fleet: [],
      fleetCreds: undefined,
      fleetTlsCa: undefined,
    });
  });

  it('reads the fleet mode: every server of a cluster, a credentials file and a CA', () => {
    expect(parseAppArgs(['--fleet', 'nats://127.0.0.1:4222', '--fleet', 'tls://nats.example:4443', '--fleet-creds', 'me.creds', '--fleet-tls-ca', 'ca.pem'])).toMatchObject({
      fleet: ['nats://127.0.0.1:4222', 'tls://nats.example:4443'],
      fleetCreds: 'me.creds',
      fleetTlsCa: 'ca.pem',
    });
  });

  it('reads terminal mode, the port, the model and --no-demo', () => {
    expect(parseAppArgs(['--prompt', 'Hi', '--port', '8080', '--model', 'gpt-5', '--no-demo'])).toMatchObject({ prompt: 'Hi', port: 8080, model: 'gpt-5', demo: false });
  });

  it.each([
    [['--port', 'http'], '--port must be an integer from 0 to 65535. Got "http"'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535. Got "70000"'],
    [['--live', '--offline'], '--live and --offline contradict each other; give one'],
    [['--prompt', '  '], '--prompt needs a non-empty prompt'],
    [['--colour'], "Unknown option '--colour'"],
    [['--fleet', 'http://127.0.0.1:4222'], '--fleet must be a NATS server URL like nats://127.0.0.1:4222. Got "http://127.0.0.1:4222"'],
    [['--fleet', '127.0.0.1:4222'], '--fleet must be a NATS server URL like nats://127.0.0.1:4222. Got "127.0.0.1:4222"'],
    [['--fleet', 'nats://127.0.0.1:4222', '--prompt', 'Hi', '--live'], '--fleet watches remote hosts and runs no CLI; drop --prompt, --live'],
    [['--fleet-creds', 'me.creds'], '--fleet-creds and --fleet-tls-ca need --fleet URL'],
  ])('refuses %j with a message that names the problem', (argv, message) => {
    expect(() => parseAppArgs(argv)).toThrow(message);
  });
});
