import { isLeft, isRight } from 'fp-ts/Either';
import { decodeLifecycleNotification, decodeSessionEvent, decodeSessionEventNotification } from './decode';

const envelope = { id: 'e1', timestamp: '2026-11-24T00:00:00.000Z', parentId: 'e0' };

describe('decodeSessionEvent', () => {
  it('decodes a known type against its own codec and returns the object as it came', () => {
    const raw = { ...envelope, ephemeral: true, type: 'assistant.message_delta', data: { messageId: 'm', deltaContent: 'Hi' } };
    const decoded = decodeSessionEvent(raw);
    expect(isRight(decoded) && decoded.right).toBe(raw);
  });

  it('tolerates fields the schema lacks, in the envelope and in the data', () => {
    const raw = { ...envelope, type: 'session.idle', extra: 1, data: { mode: 'interactive', aborted: false } };
    const decoded = decodeSessionEvent(raw);
    expect(isRight(decoded) && decoded.right.type === 'session.idle' && decoded.right.data).toEqual({ mode: 'interactive', aborted: false });
  });

  it('accepts enum values the schema does not list yet', () => {
    const decoded = decodeSessionEvent({ ...envelope, type: 'abort', data: { reason: 'subagent_cancelled' } });
    expect(isRight(decoded) && decoded.right.type === 'abort' && decoded.right.data.reason).toBe('subagent_cancelled');
  });

  it('reads an optional field sent as null as absent', () => {
    const decoded = decodeSessionEvent({ ...envelope, type: 'session.model_change', data: { newModel: 'm', previousModel: null } });
    expect(isRight(decoded) && decoded.right.type === 'session.model_change' && decoded.right.data).toEqual({
      newModel: 'm',
      previousModel: undefined,
    });
  });

  it('passes an unknown type through with its raw type and data', () => {
    const decoded = decodeSessionEvent({ ...envelope, type: 'host.new_kind_of_event', data: { anything: [1] } });
    expect(isRight(decoded) && decoded.right).toEqual({ ...envelope, type: 'unknown', rawType: 'host.new_kind_of_event', data: { anything: [1] } });
  });

  it('fails a known type whose data breaks its codec, naming the field, keeping the raw input', () => {
    const raw = { ...envelope, type: 'assistant.message_delta', data: { messageId: 'm', deltaContent: 42 } };
    const decoded = decodeSessionEvent(raw);
    expect(isLeft(decoded) && decoded.left).toEqual({
      _tag: 'DecodeFailure',
      method: 'session.event',
      eventType: 'assistant.message_delta',
      messages: ['deltaContent: expected string, got 42'],
      raw,
    });
  });

  it('fails a broken envelope, naming the missing field', () => {
    const decoded = decodeSessionEvent({ type: 'session.idle', data: {} });
    expect(isLeft(decoded) && decoded.left.messages).toEqual(
      expect.arrayContaining(['id: expected string, got nothing', 'timestamp: expected string, got nothing']),
    );
  });
});

describe('decodeSessionEventNotification', () => {
  it('keeps the session id and the whole raw notification on failure', () => {
    const params = { sessionId: 's1', event: { ...envelope, type: 'session.error', data: {} } };
    const decoded = decodeSessionEventNotification(params);
    expect(isLeft(decoded) && decoded.left).toMatchObject({ sessionId: 's1', eventType: 'session.error', raw: params });
    expect(isLeft(decoded) && decoded.left.messages.join()).toMatch(/errorType: expected/);
  });

  it('fails params that are not a notification at all', () => {
    const decoded = decodeSessionEventNotification('garbage');
    expect(isLeft(decoded) && decoded.left).toMatchObject({ method: 'session.event', raw: 'garbage' });
  });
});

describe('decodeLifecycleNotification', () => {
  it('decodes a created notification and rejects one without a session id', () => {
    const ok = { type: 'session.created', sessionId: 's', metadata: { startTime: 'a', modifiedTime: 'b' } };
    expect(isRight(decodeLifecycleNotification(ok))).toBe(true);
    const bad = decodeLifecycleNotification({ type: 'session.created' });
    expect(isLeft(bad) && bad.left.messages).toEqual(['sessionId: expected string, got nothing']);
  });
});
