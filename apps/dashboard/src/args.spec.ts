/** The app's command line. */
import { parseAppArgs } from './args';

describe('parseAppArgs', () => {
  it('defaults to the offline dashboard with its demo sessions on a free port', () => {
    expect(parseAppArgs([])).toEqual({ prompt: undefined, live: false, offline: false, port: 0, model: undefined, demo: true, help: false });
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
  ])('refuses %j with a message that names the problem', (argv, message) => {
    expect(() => parseAppArgs(argv)).toThrow(message);
  });
});
