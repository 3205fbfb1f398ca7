/**
 * What the scripted model answers to one chat-completions request. A test picks a scenario either
 * through markers in the prompt it sends (see `parseScenarioMarkers`) or with `endpoint.enqueue`.
 */
export type Scenario =
  | DemoScenario
  | TextScenario
  | ToolCallScenario
  | HttpErrorScenario
  | MalformedStreamScenario
  | CutStreamScenario
  | HangingStreamScenario;

/**
 * The offline demo (the default for a prompt without markers): plausible prose from a small built-in
 * corpus, on the topic the prompt mentions, with reasoning first, cut and paced like a hosted model's
 * stream (see `demoAnswer`). For people trying copilot-rx out; tests script `text` instead.
 */
export interface DemoScenario {
  readonly kind: 'demo';
  /** Milliseconds between chunks. Default `DEMO_PACE_MS` (30). */
  readonly paceMs?: number;
}

/** A streamed text answer: `chunks` SSE chunks whose concatenation is the whole answer. */
export interface TextScenario {
  readonly kind: 'text';
  /**
   * How many chunks carry the answer. Default: 4 for a text derived from the prompt; for an explicit
   * `text`, even pieces of at most 8 characters.
   */
  readonly chunks?: number;
  /** The answer. Default: derived from the words of the prompt, numbered, one word a chunk. */
  readonly text?: string;
  /** Reasoning chunks streamed before the text (as `delta.reasoning_text`). Default 0. */
  readonly reasoningChunks?: number;
  /** Milliseconds between chunks. Default 0 (as fast as the socket takes them). */
  readonly paceMs?: number;
}

/** The model calls one or more tools: `finish_reason: "tool_calls"`, arguments streamed in fragments. */
export interface ToolCallScenario {
  readonly kind: 'tool';
  readonly calls: readonly ScriptedToolCall[];
  /** Reasoning chunks streamed before the tool calls. Default 0. */
  readonly reasoningChunks?: number;
  /** Milliseconds between chunks. Default 0. */
  readonly paceMs?: number;
}

/** One tool call the scripted model makes. */
export interface ScriptedToolCall {
  readonly name: string;
  /** The call's arguments, a JSON object. Default `{}`. */
  readonly arguments?: Readonly<Record<string, unknown>>;
}

/** An HTTP error with an OpenAI-style JSON body `{error:{message,type,code}}`. */
export interface HttpErrorScenario {
  readonly kind: 'http';
  /** 400 to 599. */
  readonly status: number;
  /**
   * The `retry-after` header in seconds. Default 0, so the CLI's retries (6 attempts for a 5xx) do not
   * wait; `null` sends no header, and the CLI then backs off on its own (about 15 s for a 500).
   */
  readonly retryAfterSeconds?: number | null;
  /** The error message. Default `scripted upstream failure (<status>)`. */
  readonly message?: string;
}

/** One good chunk, then `data: {this is not json`, then the end of the stream. */
export interface MalformedStreamScenario {
  readonly kind: 'badsse';
  readonly paceMs?: number;
}

/** Two good chunks, then the socket is destroyed mid-response. */
export interface CutStreamScenario {
  readonly kind: 'cut';
  readonly paceMs?: number;
}

/** Headers and one chunk, then nothing until the client goes away or the endpoint closes. */
export interface HangingStreamScenario {
  readonly kind: 'hang';
}

/** A scenario that cannot be played; the message names the bad field or marker and its value. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

const KINDS = new Set(['demo', 'text', 'tool', 'http', 'badsse', 'cut', 'hang']);

/**
 * Checks a scenario given at run time (by `enqueue` or `defaultScenario`), so a typo fails where it was
 * made rather than as a puzzling answer later.
 *
 * @throws ScenarioError naming the field and the value that is wrong.
 */
export function assertScenario(value: unknown): asserts value is Scenario {
  if (typeof value !== 'object' || value === null) throw new ScenarioError(`a scenario must be an object, got ${describe(value)}`);
  const scenario = value as Record<string, unknown>;
  if (typeof scenario['kind'] !== 'string' || !KINDS.has(scenario['kind'])) {
    throw new ScenarioError(`scenario.kind must be one of ${[...KINDS].join(', ')}; got ${describe(scenario['kind'])}`);
  }
  checkCount(scenario, 'chunks', 1);
  checkCount(scenario, 'reasoningChunks', 0);
  checkCount(scenario, 'paceMs', 0);
  switch (scenario['kind']) {
    case 'text':
      checkText(scenario);
      break;
    case 'tool':
      checkCalls(scenario['calls']);
      break;
    case 'http':
      checkHttp(scenario);
      break;
  }
}

function checkText(scenario: Record<string, unknown>): void {
  const text = scenario['text'];
  if (text === undefined) return;
  if (typeof text !== 'string' || text.length === 0) throw new ScenarioError(`scenario.text must be a non-empty string, got ${describe(text)}`);
  const chunks = scenario['chunks'];
  if (typeof chunks === 'number' && chunks > text.length) {
    throw new ScenarioError(`scenario.text has ${text.length} characters, too few for ${chunks} non-empty chunks`);
  }
}

function checkCalls(calls: unknown): void {
  if (!Array.isArray(calls) || calls.length === 0) throw new ScenarioError(`scenario.calls must be a non-empty array of {name, arguments}, got ${describe(calls)}`);
  calls.forEach((call: unknown, i) => {
    const name = (call as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new ScenarioError(`scenario.calls[${i}].name must be a tool name (letters, digits, _ . -), got ${describe(name)}`);
    }
    const args = (call as { arguments?: unknown }).arguments;
    if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
      throw new ScenarioError(`scenario.calls[${i}].arguments must be a JSON object, got ${describe(args)}`);
    }
  });
}

function checkHttp(scenario: Record<string, unknown>): void {
  const status = scenario['status'];
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
    throw new ScenarioError(`scenario.status must be an HTTP error status from 400 to 599, got ${describe(status)}`);
  }
  const retryAfter = scenario['retryAfterSeconds'];
  if (retryAfter !== null) checkCount(scenario, 'retryAfterSeconds', 0);
  const message = scenario['message'];
  if (message !== undefined && typeof message !== 'string') throw new ScenarioError(`scenario.message must be a string, got ${describe(message)}`);
}

function checkCount(scenario: Record<string, unknown>, field: string, min: number): void {
  const value = scenario[field];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ScenarioError(`scenario.${field} must be an integer of at least ${min}, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}
