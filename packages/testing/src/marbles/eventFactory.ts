/**
 * Typed builders for session events with consistent envelopes, for marble tests and fixtures.
 *
 * ```ts
 * const ev = createEventFactory();
 * ev.userMessage('Hi');          // id e1, parentId null,   interactionId i1
 * ev.turnStart();                // id e2, parentId e1,     turnId "0"
 * ev.messageDelta('Hel');        // id e3, parentId e2,     ephemeral, messageId m1
 * ev.message('Hello');           // id e4, parentId e2,     messageId m1
 * ev.sessionIdle();              // id e5, parentId e4,     ephemeral
 * ```
 */
import { assistantBuilders } from './assistantBuilders.js';
import { FactoryCore, type EventFactoryConfig } from './factoryCore.js';
import { sessionBuilders } from './sessionBuilders.js';
import { toolBuilders } from './toolBuilders.js';

export type { EventFactoryConfig } from './factoryCore.js';

/** A factory of session events: `event()` and `unknown()` for any type, plus one builder per common type. */
export type EventFactory = Pick<FactoryCore, 'event' | 'unknown' | 'sessionId'> &
  ReturnType<typeof assistantBuilders> &
  ReturnType<typeof sessionBuilders> &
  ReturnType<typeof toolBuilders>;

/**
 * Makes a factory whose events agree with each other, as the CLI's do (protocol.md §4.1):
 * - ids are deterministic, `e1`, `e2`, ... in the order the builders are called;
 * - `parentId` is the id of the latest **persisted** event built before (null for the first);
 * - `ephemeral: true` is set on the ephemeral types (§5.5), absent on the others;
 * - correlation ids follow what is open: deltas join the open message (`m1`, ...), `turnEnd` closes the
 *   open turn, tool events join the latest `toolStart` (`call_1`, ...), a `userMessage` starts an
 *   interaction (`i1`, ...) and restarts turnIds at "0".
 *
 * Build events in the order they will be emitted. Every builder takes optional data fields (to
 * override any default) and `envelope` (to fix `id`, `parentId`, `timestamp`, `ephemeral`, `agentId`).
 *
 * @param config `sessionId` named in data that carries one; `clock` for timestamps (a scheduler or a
 * function of epoch ms).
 */
export function createEventFactory(config: EventFactoryConfig = {}): EventFactory {
  const core = new FactoryCore(config);
  return {
    sessionId: core.sessionId,
    event: (type, data, envelope) => core.event(type, data, envelope),
    unknown: (rawType, data, envelope) => core.unknown(rawType, data, envelope),
    ...assistantBuilders(core),
    ...sessionBuilders(core),
    ...toolBuilders(core),
  };
}
