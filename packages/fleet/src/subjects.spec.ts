import { InvalidSubjectTokenError } from './errors';
import { controlSubject, hostControlWildcard, parseSubject, sessionSubject } from './subjects';

describe('the subject scheme', () => {
  it('names a session event, lifecycle and control subject, and parses them back', () => {
    expect(sessionSubject('build-7', 'abc_1', 'event')).toBe('copilot.build-7.abc_1.event');
    expect(parseSubject('copilot.build-7.abc_1.event')).toEqual({ host: 'build-7', sessionId: 'abc_1', kind: 'event' });
    expect(controlSubject('h', 'send', 's1')).toBe('copilot.h.s1.control.send');
    expect(controlSubject('h', 'create')).toBe('copilot.h._.control.create');
    expect(parseSubject('copilot.h.s1.control.abort')).toEqual({ host: 'h', sessionId: 's1', kind: 'control', verb: 'abort' });
    expect(hostControlWildcard('h')).toBe('copilot.h.*.control.*');
  });

  it('takes * only where a consumer filters', () => {
    expect(sessionSubject('*', '*', 'lifecycle')).toBe('copilot.*.*.lifecycle');
    expect(() => controlSubject('*', 'create')).toThrow(InvalidSubjectTokenError);
  });

  it.each([['a.b'], ['>'], ['*x'], [''], ['x'.repeat(129)], ['sp ace']])('refuses the host %j, naming it', (host) => {
    expect(() => sessionSubject(host, 's', 'event')).toThrow(InvalidSubjectTokenError);
    expect(() => sessionSubject(host, 's', 'event')).toThrow(/host must be/);
  });

  it("reserves '_' for host-level control", () => {
    expect(() => controlSubject('h', 'send', '_')).toThrow(/sessionId must be/);
  });

  it('parses no host or session id that assertToken refuses (a * filter matches any token), but _ in host-level control', () => {
    for (const subject of ['copilot.h.we!rd.lifecycle', 'copilot.h._.event', 'copilot.we!rd.s.event', `copilot.h.${'x'.repeat(129)}.event`, 'copilot..s.event', 'copilot.h.s*.control.send']) {
      expect(parseSubject(subject)).toBeUndefined();
    }
    expect(parseSubject('copilot.h._.control.create')).toEqual({ host: 'h', sessionId: '_', kind: 'control', verb: 'create' });
  });

  it('parses nothing outside the scheme', () => {
    expect(parseSubject('other.h.s.event')).toBeUndefined();
    expect(parseSubject('copilot.h.s')).toBeUndefined();
    expect(parseSubject('copilot.h.s.event.extra')).toBeUndefined();
  });
});
