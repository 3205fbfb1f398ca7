import { assertRemoteConfigPolicy, refusedRemoteFields } from './remoteConfigPolicy';

describe('remote create config policy', () => {
  const config = { sessionId: 's', model: 'gpt-5', provider: { baseUrl: 'https://elsewhere.example', apiKey: 'k' }, excludedTools: [] };

  it("refuses every setting under 'defaults-only', but never the session id", () => {
    expect(refusedRemoteFields(config, 'defaults-only')).toEqual(['model', 'provider', 'excludedTools']);
    expect(refusedRemoteFields({ sessionId: 's' }, 'defaults-only')).toEqual([]);
    expect(refusedRemoteFields({}, 'defaults-only')).toEqual([]);
  });

  it("takes every setting under 'allow', and the listed ones under a list", () => {
    expect(refusedRemoteFields(config, 'allow')).toEqual([]);
    expect(refusedRemoteFields(config, ['model', 'excludedTools'])).toEqual(['provider']);
  });

  it.each([
    ['everything', /remoteConfig must be 'defaults-only', 'allow' or a list of fields/],
    [['model', 'mcpServers'], /remoteConfig lists fields a remote create cannot carry: "mcpServers"/],
    [['sessionId'], /cannot carry: "sessionId"/],
  ])('refuses the policy %j with an error naming it', (policy, message) => {
    expect(() => assertRemoteConfigPolicy(policy)).toThrow(RangeError);
    expect(() => assertRemoteConfigPolicy(policy)).toThrow(message);
  });
});
