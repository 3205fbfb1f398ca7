/**
 * `session.lifecycle` notifications (protocol.md §4.2): sessions being created, updated, deleted or
 * moved to the foreground/background, for ANY session on the CLI, not only this client's. They come
 * in duplicates (`session.created` twice), so handle them idempotently.
 */
import * as t from 'io-ts';
import { openEnum } from './openEnum.js';

export const SessionLifecycleType = openEnum([
  'session.created',
  'session.deleted',
  'session.updated',
  'session.foreground',
  'session.background',
] as const);
export type SessionLifecycleType = t.TypeOf<typeof SessionLifecycleType>;

export const SessionLifecycleMetadata = t.intersection([
  t.type({ startTime: t.string, modifiedTime: t.string }),
  t.partial({ summary: t.string }),
]);
export type SessionLifecycleMetadata = t.TypeOf<typeof SessionLifecycleMetadata>;

export const SessionLifecycleEvent = t.intersection([
  t.type({ type: SessionLifecycleType, sessionId: t.string }),
  t.partial({ metadata: SessionLifecycleMetadata }),
]);
export type SessionLifecycleEvent = t.TypeOf<typeof SessionLifecycleEvent>;
