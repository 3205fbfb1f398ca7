/**
 * What a refreshed recording changed, in protocol terms: how often each request, answer, notification
 * and event type occurs, compared between the committed transcript and the new one. Timings, ids and
 * texts are expected to differ and are left out.
 */

/** Counts of `client->cli connect`, `cli->client event assistant.message_delta`, `cli->client result`... */
export function shapeOf(records) {
  const counts = new Map();
  for (const { dir, msg } of records) {
    const kind = msg.method === 'session.event' ? `event ${msg.params?.event?.type}` : (msg.method ?? ('error' in msg ? 'error' : 'result'));
    const key = `${dir} ${kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** One line per kind whose count differs: `event X: 3 -> 5`; empty when the shapes agree. */
export function shapeDifferences(before, after) {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  return keys.filter((key) => before.get(key) !== after.get(key)).map((key) => `${key}: ${before.get(key) ?? 0} -> ${after.get(key) ?? 0}`);
}
