/**
 * Every message of the real CLI traffic recorded in fixtures/transcripts decodes: events to their own
 * schema codec (never to the unknown fallback when the schema lists their type), lifecycle
 * notifications, server requests, and the results of the core methods copilot-rx calls.
 */
import { isLeft, type Either } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import { decodeLifecycleNotification, decodeSessionEvent, decodeSessionEventNotification } from '../events/decode';
import {
  ConnectResult,
  GetMessagesResult,
  HooksInvokeParams,
  SessionCreateResult,
  SessionResumeResult,
  SessionSendResult,
  SuccessResult,
  UserInputRequestParams,
} from './methods';
import { isKnownEventType } from './sessionEvent';
import { listTranscripts, readTranscriptRecords } from '../../../../fixtures/transcripts';

interface Line {
  readonly dir: 'client->cli' | 'cli->client';
  readonly msg: { id?: number | string; method?: string; params?: unknown; result?: unknown; error?: unknown };
}

function readLines(name: string): Line[] {
  return readTranscriptRecords(name) as unknown as Line[];
}

/** The codecs of the results copilot-rx reads, by the method that was called. */
const resultCodecs: Record<string, t.Mixed> = {
  connect: ConnectResult,
  'session.create': SessionCreateResult,
  'session.resume': SessionResumeResult,
  'session.send': SessionSendResult,
  'session.abort': SuccessResult,
  'session.destroy': SuccessResult,
  'session.permissions.handlePendingPermissionRequest': SuccessResult,
  'session.tools.handlePendingToolCall': SuccessResult,
  'session.getMessages': GetMessagesResult,
};

/** The codecs of the server→client requests copilot-rx answers. */
const serverRequestCodecs: Record<string, t.Mixed> = {
  'userInput.request': UserInputRequestParams,
  'hooks.invoke': HooksInvokeParams,
};

const files = listTranscripts();

describe('the recorded transcripts', () => {
  it('are there to be decoded', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(files)('%s', (file) => {
    const lines = readLines(file);
    const failures: string[] = [];
    const report = (what: string, result: Either<unknown, unknown>, messages: (left: never) => readonly string[]) => {
      if (isLeft(result)) failures.push(`${what}: ${messages(result.left as never).join('; ')}`);
    };

    it('decode without a single failure, known types to their own codec', () => {
      let events = 0;
      const pendingByDirection = new Map<string, string>();
      for (const { dir, msg } of lines) {
        if (msg.method === 'session.event') {
          events++;
          const decoded = decodeSessionEventNotification(msg.params);
          report(`session.event`, decoded, (f: { messages: readonly string[] }) => f.messages);
          if (!isLeft(decoded)) {
            const raw = (msg.params as { event: { type: string } }).event.type;
            if (isKnownEventType(raw)) expect(decoded.right.event.type).toBe(raw);
            else expect(decoded.right.event).toMatchObject({ type: 'unknown', rawType: raw });
          }
        } else if (msg.method === 'session.lifecycle') {
          report('session.lifecycle', decodeLifecycleNotification(msg.params), (f: { messages: readonly string[] }) => f.messages);
        } else if (msg.method !== undefined) {
          const codec = dir === 'cli->client' ? serverRequestCodecs[msg.method] : undefined;
          if (codec) report(msg.method, codec.decode(msg.params), (e: t.Errors) => PathReporter.report({ _tag: 'Left', left: e }));
          if (msg.id !== undefined) pendingByDirection.set(`${dir}:${msg.id}`, msg.method);
        } else if (msg.id !== undefined && 'result' in msg) {
          // A response travels the other way from its request.
          const requestDir = dir === 'cli->client' ? 'client->cli' : 'cli->client';
          const method = pendingByDirection.get(`${requestDir}:${msg.id}`);
          const codec = method === undefined ? undefined : resultCodecs[method];
          if (codec && method) {
            const decoded = codec.decode(msg.result);
            report(`result of ${method}`, decoded, (e: t.Errors) => PathReporter.report({ _tag: 'Left', left: e }));
            if (method === 'session.getMessages' && !isLeft(decoded)) {
              for (const event of (decoded.right as { events: unknown[] }).events) {
                report('getMessages event', decodeSessionEvent(event), (f: { messages: readonly string[] }) => f.messages);
              }
            }
          }
        }
      }
      expect(failures).toEqual([]);
      expect(events).toBeGreaterThan(0);
    });
  });
});
