/**
 * Least-privilege NATS permissions for the fleet's three roles, derived from the subject scheme so
 * the rules cannot drift from what hosts and consumers actually use:
 *
 * - a host publishes only its own subjects and health record, and answers control requests;
 * - a watcher reads the stream and the hosts bucket (ordered consumers) and can change nothing: no
 *   control subject, no stream verb but INFO, no consumer deletion (see orderedReads for the limits);
 * - an operator is a watcher that may also send control requests (to every host, or to some).
 *
 * `natsAuthorization` renders them as a nats-server `authorization { users = [...] }` block.
 */
import { FLEET_STREAM, HOSTS_BUCKET, SUBJECT_ROOT, assertToken } from './subjects.js';

export interface NatsPermissions {
  readonly publish: { readonly allow: readonly string[] };
  readonly subscribe: { readonly allow: readonly string[] };
  /** Lets the user reply to requests it received (the host's control service), and only that. */
  readonly allow_responses?: boolean;
}

const KV_STREAM = `KV_${HOSTS_BUCKET}`;

/**
 * What the fleet's reads take with the @nats-io 3.x clients, checked against nats-server 2.9's trace,
 * and nothing more. Every read is an ordered consumer, which the client creates through the named API
 * (`CONSUMER.CREATE.<stream>.<name>.<filter>`) after looking the stream up (`STREAM.INFO`), and checks
 * with `CONSUMER.INFO` when its heartbeats stop. The fleet stream's readers pull (`MSG.NEXT`); a KV
 * watch is a push consumer with flow control, whose answers go to `$JS.FC.<stream>.>` (without them
 * the broker stalls a watch of a bucket past ~2 MB: tested).
 *
 * Left out on purpose: `CONSUMER.DELETE` (an ordered consumer deletes its old consumer when it
 * re-creates itself, best effort: refused, that consumer ages out after its 5 minutes of
 * inactivity), `CONSUMER.DURABLE.CREATE`, the unnamed `CONSUMER.CREATE.<stream>`, every stream verb
 * but `INFO`, listing, and direct gets. The filter of a create is pinned to the stream's own subjects.
 * What subject permissions cannot see: the body of a named create may ask for a durable consumer on
 * those filters (docs/fleet.md says how to bound that with account limits).
 */
function orderedReads(stream: string, filterRoot: string): string[] {
  return [`$JS.API.STREAM.INFO.${stream}`, `$JS.API.CONSUMER.CREATE.${stream}.*.${filterRoot}.>`, `$JS.API.CONSUMER.INFO.${stream}.*`];
}

function readFleetStream(): string[] {
  return [...orderedReads(FLEET_STREAM, SUBJECT_ROOT), `$JS.API.CONSUMER.MSG.NEXT.${FLEET_STREAM}.*`];
}

function watchHostsBucket(): string[] {
  return [...orderedReads(KV_STREAM, `$KV.${HOSTS_BUCKET}`), `$JS.FC.${KV_STREAM}.>`];
}

export function hostPermissions(host: string): NatsPermissions {
  assertToken('host', host);
  return {
    publish: {
      allow: [
        `${SUBJECT_ROOT}.${host}.*.event`,
        `${SUBJECT_ROOT}.${host}.*.lifecycle`,
        `$KV.${HOSTS_BUCKET}.${host}`,
        '$JS.API.INFO',
        // Every host ensures the stream and bucket exist (idempotent); drop these two lines when an
        // administrator creates them, and hosts then only check them.
        `$JS.API.STREAM.CREATE.${FLEET_STREAM}`,
        `$JS.API.STREAM.UPDATE.${FLEET_STREAM}`,
        `$JS.API.STREAM.CREATE.${KV_STREAM}`,
        `$JS.API.STREAM.INFO.${FLEET_STREAM}`,
        `$JS.API.STREAM.INFO.${KV_STREAM}`,
      ],
    },
    subscribe: { allow: [`${SUBJECT_ROOT}.${host}.*.control.*`, '_INBOX.>'] },
    allow_responses: true,
  };
}

export function watcherPermissions(): NatsPermissions {
  return {
    publish: { allow: ['$JS.API.INFO', ...readFleetStream(), ...watchHostsBucket()] },
    subscribe: { allow: ['_INBOX.>'] },
  };
}

/** A watcher that may control the given hosts (default: all of them). */
export function operatorPermissions(hosts: readonly string[] | '*' = '*'): NatsPermissions {
  const watcher = watcherPermissions();
  const control = hosts === '*' ? [`${SUBJECT_ROOT}.*.*.control.*`] : hosts.map((host) => `${SUBJECT_ROOT}.${assertToken('host', host)}.*.control.*`);
  return { ...watcher, publish: { allow: [...watcher.publish.allow, ...control] } };
}

export interface NatsUser {
  readonly user: string;
  /** A bcrypt hash (`nats server passwd`) in production; plain text is accepted by nats-server too. */
  readonly password: string;
  readonly permissions: NatsPermissions;
}

/** A nats-server `authorization` block for these users. */
export function natsAuthorization(users: readonly NatsUser[]): string {
  const list = (subjects: readonly string[]) => `[${subjects.map((s) => JSON.stringify(s)).join(', ')}]`;
  const rendered = users.map(({ user, password, permissions }) =>
    [
      `    { user: ${JSON.stringify(user)}, password: ${JSON.stringify(password)}, permissions: {`,
      `        publish: { allow: ${list(permissions.publish.allow)} }`,
      `        subscribe: { allow: ${list(permissions.subscribe.allow)} }`,
      ...(permissions.allow_responses ? ['        allow_responses: true'] : []),
      '    } }',
    ].join('\n'),
  );
  return `authorization {\n  users = [\n${rendered.join('\n')}\n  ]\n}\n`;
}
