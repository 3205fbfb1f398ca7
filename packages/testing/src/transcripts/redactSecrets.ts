/**
 * Secrets out of transcripts. A recording is shared (attached to a bug report, committed as a test
 * fixture), so the credentials a client sends (a BYOK provider's `apiKey`, `gitHubToken`, the TCP
 * `connect` token, `authorization` headers) must never be written into one. Values of fields whose
 * name says "secret" are replaced by `REDACTED`; the message keeps its shape, so a replay still runs.
 */

export const REDACTED = '[redacted]';

/**
 * Field names whose string values are credentials: `token`, `gitHubToken`, `connectionToken`,
 * `apiKey`, `api_key`, `authorization`, `password`, `clientSecret`, `credentials`, `cookie`. Counts
 * such as `outputTokens` or `tokenLimit` do not match (and are numbers anyway).
 */
const SECRET_FIELD = /(?:^|[a-z_-])(?:token|api[-_]?key|authorization|password|secret|credentials?|cookie)$/i;

/**
 * How deep a message is searched. Credentials sit a few levels down (`params.provider.apiKey`,
 * `params.headers.authorization`); a hostile peer can nest 20,000 levels, and the search must not
 * recurse that far.
 */
const MAX_DEPTH = 12;

/** Replaces, in place, the string values of secret-named fields of a freshly parsed message. */
export function redactSecrets(message: unknown, depth = 0): void {
  if (depth > MAX_DEPTH || typeof message !== 'object' || message === null) return;
  if (Array.isArray(message)) {
    for (const item of message) redactSecrets(item, depth + 1);
    return;
  }
  const record = message as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value === 'string' && value !== '' && SECRET_FIELD.test(key)) record[key] = REDACTED;
    else redactSecrets(value, depth + 1);
  }
}
