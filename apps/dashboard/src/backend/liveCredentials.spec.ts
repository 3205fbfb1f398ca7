/** How the app chooses between the embedded scripted model and the live service. */
import { findToken, wantsLive } from './liveCredentials';

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
