import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** Which part of the endpoint a request reached. */
export type EndpointRoute =
  /** `POST /v1/chat/completions` (route B) or `POST /chat/completions` (route A). */
  | 'chat'
  /** `GET /copilot_internal/user`, route A's first call. */
  | 'user'
  /** `GET /models`, route A's model list. */
  | 'models'
  /** A Copilot API call the CLI makes on route A that the endpoint declines with 404 on purpose. */
  | 'declined'
  /** A request for anything else: answered 404. */
  | 'unknown'
  /** A proxy request (`CONNECT host:443` or an absolute URL): refused with 403. */
  | 'proxy';

/** One request the endpoint received, credentials left out. */
export interface RecordedRequest {
  readonly method: string;
  /** The request target: a path with its query, or `host:port` for a CONNECT. */
  readonly path: string;
  /** The headers, without `authorization`, cookies, API keys or anything else named like a credential. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** The body: parsed JSON when it is JSON (gzip undone), else its text; `undefined` when empty. */
  readonly body: unknown;
  readonly route: EndpointRoute;
}

/** Header names that carry credentials; they never reach the record (nor any log or error built on it). */
const CREDENTIAL_HEADER = /authorization|cookie|api-key|token|secret/i;

/** Bodies past this size are refused: a chat request is tens of KB, a long session a few MB. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The request's headers minus the credentials. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string | readonly string[]> {
  const kept: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !CREDENTIAL_HEADER.test(name)) kept[name] = value;
  }
  return kept;
}

/** A request body that could not be read; the message says why. */
export class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Reads a request's body and decodes it: gunzipped when `content-encoding: gzip` (the CLI's telemetry),
 * parsed when it is JSON by content type or by shape.
 *
 * @throws RequestBodyError (413) past `MAX_BODY_BYTES`, (400) for a JSON content type that does not parse.
 */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) throw new RequestBodyError(`the request body exceeds ${MAX_BODY_BYTES} bytes`, 413);
    parts.push(part);
  }
  if (size === 0) return undefined;
  let bytes = Buffer.concat(parts);
  if (req.headers['content-encoding'] === 'gzip') {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new RequestBodyError(`the request body says content-encoding: gzip but does not gunzip: ${(error as Error).message}`, 400);
    }
  }
  const text = bytes.toString('utf8');
  const declaredJson = /\bjson\b/i.test(req.headers['content-type'] ?? '') && !/json-stream/i.test(req.headers['content-type'] ?? '');
  try {
    return JSON.parse(text);
  } catch (error) {
    if (declaredJson) throw new RequestBodyError(`the request body is not valid JSON: ${(error as Error).message}`, 400);
    return text;
  }
}
