/**
 * What travels on the fleet's subjects, as io-ts codecs (each codec is the single source of its type).
 * Events stay raw JSON here: the consumer decodes them with core's own codecs, exactly like a local
 * client, so the fleet can never disagree with core about what an event is.
 */
import * as t from 'io-ts';

/** The payload of `copilot.<host>.<sessionId>.event`: one or more consecutive events of the session. */
export const EventBatch = t.type({ v: t.literal(1), events: t.array(t.unknown) }, 'EventBatch');
export type EventBatch = t.TypeOf<typeof EventBatch>;

/**
 * Events the host could not publish because its outbox was full (see Outbox): a typed gap, not silence.
 * `turnIds`: the consumers' remote turns the gap may have cut into (those the host held on the session
 * at each of its drops, and the one that ended last): a consumer fails only a turn named there, since
 * the record may go out well after the drop, while a newer turn runs. Absent when the host could not
 * tell (an older host, a turn sent without an id, too many turns): then every running turn fails.
 */
export const EventsDroppedRecord = t.intersection([
  t.type({ type: t.literal('events.dropped'), count: t.number, firstId: t.string, lastId: t.string }),
  t.partial({ turnIds: t.array(t.string) }),
]);

/**
 * A remote turn failed on the host after the CLI accepted its prompt (the CLI died or was restarted,
 * the client closed, the session was destroyed under it): the consumer's turn fails with this, since
 * no idle may ever come. Not for the agent's own error: its `session.error` event ends the turn. `turnId` is the one the consumer's send carried;
 * `code` the error's own (core's, e.g. TURN_INTERRUPTED), `message` bounded by the host.
 */
export const TurnFailedRecord = t.intersection([
  t.type({ type: t.literal('turn.failed'), code: t.string, message: t.string }),
  t.partial({ turnId: t.string }),
]);

/** The payload of `copilot.<host>.<sessionId>.lifecycle`. */
export const LifecycleRecord = t.intersection(
  [
    t.type({ at: t.number }),
    t.union([
      // `instance`: the announcing host process's id (HealthRecord.instance); absent from older hosts.
      t.intersection([t.type({ type: t.literal('session.created') }), t.partial({ instance: t.string })]),
      t.type({ type: t.literal('session.busy') }),
      t.type({ type: t.literal('session.idle') }),
      t.type({ type: t.literal('session.destroyed') }),
      t.type({ type: t.literal('user_input.requested'), requestId: t.string, question: t.string, choices: t.array(t.string) }),
      EventsDroppedRecord,
      TurnFailedRecord,
    ]),
  ],
  'LifecycleRecord',
);
export type LifecycleRecord = t.TypeOf<typeof LifecycleRecord>;

/** The value of a host's key in the `copilot_hosts` KV bucket, rewritten every heartbeat. */
export const HealthRecord = t.intersection(
  [
    t.type({
      host: t.string,
      pid: t.number,
      startedAt: t.number,
      heartbeatAt: t.number,
      /** After this long without a heartbeat the host counts as down. */
      ttlMs: t.number,
      cliVersions: t.array(t.string),
      sessions: t.number,
      outbox: t.type({ pending: t.number, dropped: t.number }),
    }),
    /**
     * A random id of the host process, new at every start: a session whose `session.created` carries
     * another one belongs to an earlier process under the same name. Optional: older hosts send none.
     */
    t.partial({ instance: t.string }),
  ],
  'HealthRecord',
);
export type HealthRecord = t.TypeOf<typeof HealthRecord>;
