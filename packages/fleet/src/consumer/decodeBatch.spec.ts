import type { SessionEvent } from '@copilot-rx/core';
import type { FleetDecodeError } from '../errors';
import { decodeBatch } from './decodeBatch';

const SUBJECT = 'copilot.h.s.event';
const delta = (id: string, deltaContent: unknown) => ({ id, timestamp: '2026-01-01T00:00:00Z', parentId: null, ephemeral: true, type: 'assistant.message_delta', data: { messageId: 'm', deltaContent } });

function decode(text: string) {
  const events: SessionEvent[] = [];
  const failures: FleetDecodeError[] = [];
  decodeBatch(SUBJECT, text, (e) => events.push(e), (f) => failures.push(f));
  return { events, failures };
}

describe('decodeBatch', () => {
  it("decodes every event of a batch with core's codecs, in order", () => {
    const { events, failures } = decode(JSON.stringify({ v: 1, events: [delta('a', 'x'), delta('b', 'y')] }));
    expect(failures).toEqual([]);
    expect(events.map((e) => [e.id, e.type])).toEqual([['a', 'assistant.message_delta'], ['b', 'assistant.message_delta']]);
  });

  it('reports an event that breaks its codec, with the subject and path, and keeps the rest', () => {
    const { events, failures } = decode(JSON.stringify({ v: 1, events: [delta('a', 'x'), delta('b', 42), delta('c', 'z')] }));
    expect(events.map((e) => e.id)).toEqual(['a', 'c']);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: 'FLEET_DECODE_FAILED', subject: SUBJECT });
    expect(failures[0]!.messages.join(' ')).toMatch(/deltaContent/);
  });

  it('passes an event of a type no codec knows through as unknown, like a local client', () => {
    const { events } = decode(JSON.stringify({ v: 1, events: [{ ...delta('a', 'x'), type: 'brand.new_event' }] }));
    expect(events[0]).toMatchObject({ type: 'unknown', rawType: 'brand.new_event' });
  });

  it.each([
    ['not JSON', '{"v":1,'],
    ['not a batch', JSON.stringify({ v: 2, events: [] })],
    ['a batch without events', JSON.stringify({ v: 1 })],
  ])('reports a message that is %s, quoting it bounded', (_, text) => {
    const { events, failures } = decode(text);
    expect(events).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message.length).toBeLessThan(400);
  });
});
