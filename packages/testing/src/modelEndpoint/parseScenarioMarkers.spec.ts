import { findScenarioMarkers, parseScenarioMarkers } from './parseScenarioMarkers';
import { ScenarioError } from './scenario';

describe('parseScenarioMarkers', () => {
  it('finds no scenario in a prompt without markers', () => {
    expect(parseScenarioMarkers('Say hello')).toBeUndefined();
  });

  it('reads a text answer with chunks, pace and reasoning', () => {
    expect(parseScenarioMarkers('Count [[chunks 40]] please [[pace 30]] [[reasoning 3]]')).toEqual({
      kind: 'text',
      chunks: 40,
      paceMs: 30,
      reasoningChunks: 3,
    });
  });

  it('reads a tool call with JSON arguments, even arguments that contain "]]"', () => {
    expect(parseScenarioMarkers('Weather? [[tool get_weather {"city":"Paris","days":[[1,2]]}]]')).toEqual({
      kind: 'tool',
      calls: [{ name: 'get_weather', arguments: { city: 'Paris', days: [[1, 2]] } }],
    });
  });

  it('reads several tool markers as several calls of one answer, and a call without arguments', () => {
    expect(parseScenarioMarkers('[[tool a {"x":1}]] [[tool b]] [[pace 5]]')).toEqual({
      kind: 'tool',
      calls: [{ name: 'a', arguments: { x: 1 } }, { name: 'b' }],
      paceMs: 5,
    });
  });

  it('reads HTTP errors with and without retry-after', () => {
    expect(parseScenarioMarkers('[[http 500]]')).toEqual({ kind: 'http', status: 500 });
    expect(parseScenarioMarkers('[[http 429]] [[retry-after 7]]')).toEqual({ kind: 'http', status: 429, retryAfterSeconds: 7 });
  });

  it('reads the broken-stream markers', () => {
    expect(parseScenarioMarkers('[[badsse]]')).toEqual({ kind: 'badsse' });
    expect(parseScenarioMarkers('[[cut]] [[pace 2]]')).toEqual({ kind: 'cut', paceMs: 2 });
    expect(parseScenarioMarkers('[[hang]]')).toEqual({ kind: 'hang' });
  });

  it('leaves "[[" that does not start a word alone', () => {
    expect(parseScenarioMarkers('a matrix [[1,2],[3,4]] [[chunks 2]]')).toEqual({ kind: 'text', chunks: 2 });
  });

  it.each([
    ['[[chunk 4]]', /unknown scenario marker \[\[chunk 4\]\]/],
    ['[[chunks 0]]', /\[\[chunks 0\]\] needs an integer from 1/],
    ['[[chunks many]]', /\[\[chunks many\]\] needs an integer.*"many"/],
    ['[[http 200]]', /\[\[http 200\]\] needs an integer from 400 to 599/],
    ['[[http]]', /\[\[http\]\] needs an integer/],
    ['[[tool get_weather {city:Paris}]]', /not JSON/],
    ['[[tool get_weather [1]]]', /needs a JSON object as arguments/],
    ['[[tool]]', /needs a tool name/],
    ['[[chunks 2]] [[chunks 3]]', /\[\[chunks 3\]\] repeats \[\[chunks 2\]\]/],
    ['[[http 500]] [[cut]]', /\[\[cut\]\] cannot be combined with \[\[http 500\]\]/],
    ['[[http 500]] [[chunks 3]]', /\[\[chunks 3\]\] does not apply to \[\[http 500\]\]/],
    ['[[retry-after 3]]', /\[\[retry-after 3\]\] does not apply to a text answer/],
    ['[[cut now]]', /\[\[cut now\]\] takes no argument/],
    ['[[chunks 3', /not closed with "\]\]"/],
  ])('rejects %s with an error that quotes it', (prompt, message) => {
    const attempt = () => parseScenarioMarkers(prompt);
    expect(attempt).toThrow(ScenarioError);
    expect(attempt).toThrow(message);
  });
});

describe('findScenarioMarkers', () => {
  it('reports each marker with its place in the prompt', () => {
    const prompt = 'Hi [[chunks 2]] there [[tool t {"a":"]]"}]]';
    const markers = findScenarioMarkers(prompt);
    expect(markers.map((m) => [m.keyword, m.args, m.source])).toEqual([
      ['chunks', '2', '[[chunks 2]]'],
      ['tool', 't {"a":"]]"}', '[[tool t {"a":"]]"}]]'],
    ]);
    expect(markers.map((m) => prompt.slice(m.start, m.end))).toEqual(markers.map((m) => m.source));
  });
});
