/** The app's command line and how it chooses between the embedded scripted model and the live service. */
import { parseAppArgs } from '../../apps/dashboard/src/args';
import { findToken, wantsLive } from '../../apps/dashboard/src/backend/liveCredentials';

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

describe('live or offline', () => {
  it('is offline on a machine with no token and no flag', () => {
    expect(wantsLive({ live: false, offline: false }, {})).toBe(false);
  });

  it('goes live with --live, or with COPILOT_GITHUB_TOKEN or GH_TOKEN in the environment', () => {
    expect(wantsLive({ live: true, offline: false }, {})).toBe(true);
    expect(wantsLive({ live: false, offline: false }, { COPILOT_GITHUB_TOKEN: 'x' })).toBe(true);
    expect(wantsLive({ live: false, offline: false }, { GH_TOKEN: 'x' })).toBe(true);
  });

  it('does not go live on GITHUB_TOKEN alone (often a CI token), and --offline always wins', () => {
    expect(wantsLive({ live: false, offline: false }, { GITHUB_TOKEN: 'x' })).toBe(false);
    expect(wantsLive({ live: false, offline: true }, { GH_TOKEN: 'x' })).toBe(false);
  });

  it('takes the most specific token variable first', () => {
    expect(findToken({ GITHUB_TOKEN: 'c', GH_TOKEN: 'b', COPILOT_GITHUB_TOKEN: 'a' })).toEqual({ variable: 'COPILOT_GITHUB_TOKEN', token: 'a' });
    expect(findToken({ GITHUB_TOKEN: 'c', GH_TOKEN: 'b' })).toEqual({ variable: 'GH_TOKEN', token: 'b' });
    expect(findToken({})).toBeUndefined();
  });
});
