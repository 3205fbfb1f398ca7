/** One Server-Sent Events frame, as the HTML standard's event stream format defines it. */
export interface ServerSentEvent {
  /** The `event:` field; absent means the browser's default, `message`. */
  readonly event?: string;
  /** The `id:` field (EventSource sends the last one back as `Last-Event-ID` when it reconnects). */
  readonly id?: string;
  /** The payload; a multi-line payload becomes one `data:` line per line. */
  readonly data: string;
}

/**
 * Formats one frame. A field that would break the framing (a line break in `event` or `id`, a NUL
 * in `id`) throws a RangeError that quotes it: sending it would corrupt every later frame.
 */
export function formatServerSentEvent({ event, id, data }: ServerSentEvent): string {
  let frame = '';
  if (event !== undefined) {
    if (/[\r\n]/.test(event)) throw new RangeError(`An SSE event name must be one line. Got ${JSON.stringify(event)}`);
    frame += `event: ${event}\n`;
  }
  if (id !== undefined) {
    if (/[\r\n\0]/.test(id)) throw new RangeError(`An SSE id must be one line without NUL. Got ${JSON.stringify(id)}`);
    frame += `id: ${id}\n`;
  }
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/** A comment frame: ignored by EventSource, it keeps proxies and idle timeouts from closing the stream. */
export const HEARTBEAT_FRAME = ': heartbeat\n\n';
