/**
 * A small HTTP client for the specs of the scripted model endpoint: posts chat requests the way the
 * CLI does and splits the SSE answer into its frames. Not shipped (tsconfig excludes testSupport).
 */
import { request as httpRequest } from 'node:http';
import type { ScriptedModelEndpoint } from '../modelEndpoint/startScriptedModelEndpoint';

/** A user message the way the CLI sends it: a datetime preamble, a blank line, then the prompt. */
export function userMessage(prompt: string): { role: 'user'; content: string } {
  return { role: 'user', content: `<current_datetime>2026-11-24T10:00:00.000+00:00</current_datetime>\n\n${prompt}` };
}

/** A streaming chat body with a system message and the prompt as the newest user message. */
export function chatBody(prompt: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-sonnet-4.5', messages: [{ role: 'system', content: 'You are a test assistant.' }, userMessage(prompt)], stream: true, ...extra };
}

export interface ChatReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The `data:` payloads in order; JSON ones parsed, others (`[DONE]`, garbage) as strings. */
  readonly frames: readonly unknown[];
}

/** POSTs a chat request (route B by default) with the endpoint's BYOK key, and reads the whole answer. */
export async function postChat(
  endpoint: ScriptedModelEndpoint,
  body: unknown,
  { path = '/v1/chat/completions', token = endpoint.byokProvider().apiKey }: { path?: string; token?: string | null } = {},
): Promise<ChatReply> {
  const res = await fetch(`${endpoint.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, frames: sseFrames(text) };
}

/** Splits an SSE body into its `data:` payloads. */
export function sseFrames(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => {
      const data = block.slice('data: '.length);
      try {
        return JSON.parse(data) as unknown;
      } catch {
        return data; // `[DONE]` and deliberately malformed frames stay text.
      }
    });
}

/** The `choices[0].delta` of every chunk frame that has one. */
export function deltasOf(frames: readonly unknown[]): Record<string, unknown>[] {
  return frames.flatMap((frame) => {
    const choice = (frame as { choices?: { delta?: Record<string, unknown> }[] } | null)?.choices?.[0];
    return choice?.delta && Object.keys(choice.delta).length > 0 ? [choice.delta] : [];
  });
}

/** The concatenated `delta.content` of a stream. */
export function contentOf(frames: readonly unknown[]): string {
  return deltasOf(frames)
    .map((delta) => (typeof delta['content'] === 'string' ? delta['content'] : ''))
    .join('');
}

export interface RawExchange {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Everything received before the response ended or broke. */
  readonly received: string;
  /** How the response ended: normally, or broken off (socket destroyed). */
  readonly ending: 'end' | 'broken';
}

/**
 * A request through node:http that reports a broken response instead of throwing, for the scenarios
 * that cut the connection. `onFirstData` runs once the first body bytes arrived.
 */
export function rawRequest(
  endpoint: ScriptedModelEndpoint,
  options: { method: string; path: string; body?: unknown; token?: string; onFirstData?: () => void },
): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: endpoint.port,
        method: options.method,
        path: options.path,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        let received = '';
        let first = true;
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          received += text;
          if (first) {
            first = false;
            options.onFirstData?.();
          }
        });
        const settle = (ending: 'end' | 'broken') => resolve({ status: res.statusCode ?? 0, headers: res.headers, received, ending });
        res.on('end', () => settle(res.complete ? 'end' : 'broken'));
        res.on('error', () => settle('broken'));
        res.on('close', () => settle(res.complete ? 'end' : 'broken'));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
