import type { IncomingMessage } from 'node:http';
import { HttpError } from './HttpError';

/** The largest request body accepted: prompts are text, not uploads. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Reads a JSON object body. An empty body is `{}`. Refuses, with a message that says why: a content
 * type other than JSON (415), a body over MAX_BODY_BYTES (413), malformed JSON or anything but an
 * object (400).
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
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, `Send JSON with content-type application/json. Got ${JSON.stringify(type)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, `The body must be a JSON object. Got ${JSON.stringify(text.slice(0, 80))}`);
  return body as Readonly<Record<string, unknown>>;
}

/** A required string field, non-empty and at most `max` characters; a 400 naming the field otherwise. */
export function requiredString(body: Readonly<Record<string, unknown>>, field: string, max: number): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, `"${field}" must be a non-empty string. Got ${JSON.stringify(value) ?? 'nothing'}`);
  if (value.length > max) throw new HttpError(400, `"${field}" must be at most ${max} characters. Got ${value.length}`);
  return value;
}
