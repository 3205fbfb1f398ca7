import { ScenarioError, type Scenario, type ScriptedToolCall } from './scenario.js';

/** A `[[keyword args]]` marker found in a prompt, with its place so it can be cut out of the text. */
export interface ScenarioMarker {
  readonly keyword: string;
  /** The raw text after the keyword, trimmed ('' when there is none). */
  readonly args: string;
  readonly source: string;
  readonly start: number;
  readonly end: number;
}

/** The markers that pick what happens (at most one kind of them in a prompt). */
const OUTCOMES = ['tool', 'http', 'badsse', 'cut', 'hang'] as const;
/** The markers that adjust an outcome, and the outcomes they apply to ('text' is the default one). */
const MODIFIERS: Readonly<Record<string, readonly string[]>> = {
  chunks: ['text'],
  pace: ['text', 'tool', 'badsse', 'cut'],
  reasoning: ['text', 'tool'],
  'retry-after': ['http'],
};
const KEYWORDS = [...OUTCOMES, ...Object.keys(MODIFIERS)];

/**
 * Reads the scenario markers of a prompt: `[[chunks N]]`, `[[pace MS]]`, `[[reasoning N]]`,
 * `[[tool NAME {json}]]` (repeatable), `[[http CODE]]`, `[[retry-after S]]`, `[[badsse]]`, `[[cut]]`,
 * `[[hang]]`. Returns `undefined` when the prompt has none, so the endpoint's default applies.
 *
 * @throws ScenarioError for an unknown keyword, a bad argument, a repeated modifier, two outcomes, or a
 *   modifier that does not apply to the outcome; the message quotes the marker.
 */
export function parseScenarioMarkers(prompt: string): Scenario | undefined {
  const markers = findScenarioMarkers(prompt);
  if (markers.length === 0) return undefined;
  const calls: ScriptedToolCall[] = [];
  const seen = new Map<string, ScenarioMarker>();
  let outcome: ScenarioMarker | undefined;
  for (const marker of markers) {
    if (marker.keyword === 'tool') {
      calls.push(parseToolCall(marker));
    } else if (seen.has(marker.keyword)) {
      throw new ScenarioError(`${marker.source} repeats ${seen.get(marker.keyword)!.source}; give each marker once`);
    }
    if ((OUTCOMES as readonly string[]).includes(marker.keyword)) {
      if (outcome && outcome.keyword !== marker.keyword) {
        throw new ScenarioError(`${marker.source} cannot be combined with ${outcome.source}; a prompt picks one outcome`);
      }
      outcome ??= marker;
    }
    seen.set(marker.keyword, marker);
  }
  const kind = outcome?.keyword ?? 'text';
  for (const [keyword, marker] of seen) {
    const appliesTo = MODIFIERS[keyword];
    if (appliesTo && !appliesTo.includes(kind)) {
      throw new ScenarioError(`${marker.source} does not apply to ${outcome?.source ?? 'a text answer'}; it applies to: ${appliesTo.join(', ')}`);
    }
  }
  const count = (keyword: string, min: number, max: number) => {
    const marker = seen.get(keyword);
    return marker === undefined ? undefined : parseInteger(marker, min, max);
  };
  const paceMs = count('pace', 0, 60_000);
  const reasoningChunks = count('reasoning', 1, 100_000);
  switch (kind) {
    case 'tool':
      return { kind, calls, ...defined({ reasoningChunks, paceMs }) };
    case 'http': {
      const retryAfterSeconds = count('retry-after', 0, 3_600);
      return { kind, status: parseInteger(outcome!, 400, 599), ...defined({ retryAfterSeconds }) };
    }
    case 'badsse':
    case 'cut':
      noArgs(outcome!);
      return { kind, ...defined({ paceMs }) };
    case 'hang':
      noArgs(outcome!);
      return { kind };
    default:
      return { kind: 'text', ...defined({ chunks: count('chunks', 1, 1_000_000), reasoningChunks, paceMs }) };
  }
}

/**
 * Finds every `[[keyword ...]]` in a prompt, in order. A `[[` not followed by a letter is plain text;
 * a `[[` followed by a word that is not a keyword is an error (most likely a typo).
 *
 * @throws ScenarioError for an unknown keyword or an unterminated marker.
 */
export function findScenarioMarkers(prompt: string): ScenarioMarker[] {
  const markers: ScenarioMarker[] = [];
  const head = /\[\[([A-Za-z][A-Za-z-]*)/g;
  for (let match = head.exec(prompt); match; match = head.exec(prompt)) {
    const keyword = match[1]!;
    const start = match.index;
    if (!KEYWORDS.includes(keyword)) {
      const close = prompt.indexOf(']]', start);
      const shown = prompt.slice(start, close < 0 ? start + 40 : close + 2);
      throw new ScenarioError(`unknown scenario marker ${shown}; known markers: ${KEYWORDS.map((k) => `[[${k}]]`).join(' ')}`);
    }
    // Tool arguments are JSON and may contain "]]" themselves, so their end is found by bracket depth.
    const argsEnd = keyword === 'tool' ? endOfToolArgs(prompt, head.lastIndex) : prompt.indexOf(']]', head.lastIndex);
    if (argsEnd < 0 || !prompt.startsWith(']]', argsEnd)) {
      throw new ScenarioError(`scenario marker ${prompt.slice(start, start + 60)} is not closed with "]]"`);
    }
    const end = argsEnd + 2;
    markers.push({ keyword, args: prompt.slice(head.lastIndex, argsEnd).trim(), source: prompt.slice(start, end), start, end });
    head.lastIndex = end;
  }
  return markers;
}

function endOfToolArgs(prompt: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < prompt.length; i++) {
    const c = prompt[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return c === ']' ? i : -1;
      depth--;
    }
  }
  return -1;
}

function parseToolCall(marker: ScenarioMarker): ScriptedToolCall {
  const match = /^([A-Za-z0-9_.-]+)\s*([\s\S]*)$/.exec(marker.args);
  if (!match) throw new ScenarioError(`${marker.source} needs a tool name: [[tool NAME {"arg":"value"}]]`);
  const [, name, json] = match as unknown as [string, string, string];
  if (json === '') return { name };
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch (error) {
    throw new ScenarioError(`${marker.source} has arguments that are not JSON (${(error as Error).message})`);
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new ScenarioError(`${marker.source} needs a JSON object as arguments, got ${json}`);
  }
  return { name, arguments: args as Record<string, unknown> };
}

function parseInteger(marker: ScenarioMarker, min: number, max: number): number {
  const value = /^\d+$/.test(marker.args) ? Number(marker.args) : NaN;
  if (!(value >= min && value <= max)) {
    throw new ScenarioError(`${marker.source} needs an integer from ${min} to ${max}, got ${JSON.stringify(marker.args)}`);
  }
  return value;
}

function noArgs(marker: ScenarioMarker): void {
  if (marker.args !== '') throw new ScenarioError(`${marker.source} takes no argument`);
}

/** Leaves out the undefined fields, so a parsed scenario equals the literal a test would write. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
