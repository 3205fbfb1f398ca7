/**
 * The official SDK's bundled runtime (`runtime: 'sdk-runtime'`) speaks what core's codecs read: every
 * message it sent in the recordings of fixtures/transcripts/sdk-runtime-* (a plain streamed answer and a
 * client tool call, over both routes) decodes, known event types to their own codec, types the runtime
 * has and the generated codecs do not as UnknownSessionEvent. Recorded by
 * scripts/record-sdk-runtime-transcripts.mjs.
 */
import { isLeft } from 'fp-ts/Either';
import { decodeLifecycleNotification, decodeSessionEventNotification } from '../events/decode';
import type { SessionEvent } from './sessionEvent';
import { isKnownEventType } from './sessionEvent';
import { listTranscripts, readTranscriptRecords } from '../../../../fixtures/transcripts';

interface Record {
  readonly dir: 'client->cli' | 'cli->client';
  readonly msg: { readonly method?: string; readonly params?: unknown };
}

const files = listTranscripts().filter((name) => name.startsWith('sdk-runtime-'));

/** Decodes every notification the runtime sent; returns the events, throws on the first failure. */
function decodeAll(file: string): SessionEvent[] {
  const events: SessionEvent[] = [];
  for (const { dir, msg } of readTranscriptRecords(file) as unknown as Record[]) {
    if (dir !== 'cli->client') continue;
    if (msg.method === 'session.lifecycle') {
      const decoded = decodeLifecycleNotification(msg.params);
      if (isLeft(decoded)) throw new Error(`${file}: session.lifecycle: ${decoded.left.messages.join('; ')}`);
    } else if (msg.method === 'session.event') {
      const decoded = decodeSessionEventNotification(msg.params);
      if (isLeft(decoded)) throw new Error(`${file}: ${decoded.left.messages.join('; ')}`);
      const rawType = (msg.params as { event: { type: string } }).event.type;
      expect(decoded.right.event.type).toBe(isKnownEventType(rawType) ? rawType : 'unknown');
      events.push(decoded.right.event);
    }
  }
  return events;
}

describe("the SDK runtime's recorded traffic", () => {
  it('is there: a plain answer and a tool call over both routes', () => {
    expect(files.map((name) => name.replace(/^sdk-runtime-[^/]+\//, '')).sort()).toEqual(['byok-plain.jsonl', 'byok-tool.jsonl', 'capi-plain.jsonl', 'capi-tool.jsonl']);
  });

  it.each(files.filter((name) => name.endsWith('plain.jsonl')))('%s: decodes, and the streamed text is the final message', (file) => {
    const events = decodeAll(file);
    const deltas = events.flatMap((e) => (e.type === 'assistant.message_delta' ? [e.data.deltaContent] : []));
    const message = events.find((e) => e.type === 'assistant.message');
    expect(deltas.length).toBeGreaterThan(1);
    expect(message?.type === 'assistant.message' && message.data.content).toBe(deltas.join(''));
    expect(events.at(-1)?.type).toMatch(/^session\.(idle|shutdown)$/);
  });

  it.each(files.filter((name) => name.endsWith('tool.jsonl')))('%s: decodes, the permission prompt and the tool request to their own codecs', (file) => {
    const events = decodeAll(file);
    const permission = events.find((e) => e.type === 'permission.requested');
    const tool = events.find((e) => e.type === 'external_tool.requested');
    expect(permission?.type === 'permission.requested' && permission.data.permissionRequest.kind).toBe('custom-tool');
    expect(tool?.type === 'external_tool.requested' && tool.data.toolName).toBe('get_weather');
    expect(events.some((e) => e.type === 'tool.execution_complete')).toBe(true);
  });
});
