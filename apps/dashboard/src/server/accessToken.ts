import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh random access token (192 bits, URL-safe). */
export function createAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The token a request carries: the `x-access-token` header (what the page's fetch calls send) or the
 * `token` query parameter (what the address bar and EventSource can carry).
 */
export function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['x-access-token'];
  if (typeof header === 'string') return header;
  return url.searchParams.get('token') ?? undefined;
}

/** Compares in constant time, so the response time says nothing about how much of a guess was right. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
