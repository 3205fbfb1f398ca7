import type { IncomingMessage } from 'node:http';
import { quote, shorten } from '../quote';
import { HttpError } from './HttpError';
import { tooDeepAt } from './jsonNesting';

/** The largest request body accepted: prompts are text, not uploads. */
export const MAX_BODY_BYTES = 256 * 1024;
/** The deepest nesting of arrays and objects accepted: every body is one object of plain fields. */
export const MAX_BODY_DEPTH = 8;

/**
 * Reads a JSON object body. An empty body is `{}`. Refuses, with a message that says why: a content
 * type other than JSON (415), a body over MAX_BODY_BYTES (413), malformed JSON, nesting deeper than
 * MAX_BODY_DEPTH, or anything but an object (400).
 */
export async function readJsonBody(req: IncomingMessage): Promise<Readonly<Record<string, unknown>>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, `Send JSON with content-type application/json. Got ${quote(type)}`);
  // Before parsing: what reads the value later (a message quoting a field) must never meet 20,000 levels.
  const tooDeep = tooDeepAt(text, MAX_BODY_DEPTH);
  if (tooDeep !== undefined) {
    throw new HttpError(400, `The body nests arrays and objects deeper than ${MAX_BODY_DEPTH} levels (at character ${tooDeep}); send one JSON object of plain fields`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    // V8's message quotes a bounded excerpt of the text; bounded again here all the same.
    throw new HttpError(400, `The body is not valid JSON: ${shorten(error instanceof Error ? error.message : String(error), 200)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, `The body must be a JSON object. Got ${quote(text)}`);
  return body as Readonly<Record<string, unknown>>;
}

/** A required string field, non-empty and at most `max` characters; a 400 naming the field otherwise. */
export function requiredString(body: Readonly<Record<string, unknown>>, field: string, max: number): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, `"${field}" must be a non-empty string. Got ${value === undefined ? 'nothing' : quote(value)}`);
  if (value.length > max) throw new HttpError(400, `"${field}" must be at most ${max} characters. Got ${value.length}`);
  return value;
}
