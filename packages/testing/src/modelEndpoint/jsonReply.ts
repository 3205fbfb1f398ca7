import type { ServerResponse } from 'node:http';
import type { OpenAiErrorBody } from './responsePlan.js';

/** Sends a JSON body with its status (and extra headers) and ends the response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** An OpenAI-style error body, the shape the CLI reads a model endpoint's failures in. */
export function openAiError(message: string, type: string, code: string | number = type): OpenAiErrorBody {
  return { error: { message: `scripted model endpoint: ${message}`, type, code } };
}
