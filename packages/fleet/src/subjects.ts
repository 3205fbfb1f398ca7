/**
 * The fleet's subject scheme, in one place, so publishers, consumers and the authorization rules in
 * docs/fleet.md cannot drift apart.
 *
 * ```
 * copilot.<host>.<sessionId>.event              a batch of one session's events (stream COPILOT_FLEET)
 * copilot.<host>.<sessionId>.lifecycle          the session's lifecycle records (stream COPILOT_FLEET)
 * copilot.<host>.<sessionId>.control.<verb>     request-reply: send, abort, answerPermission, ... (core NATS)
 * copilot.<host>._.control.create               request-reply: create a session on that host
 * $KV.copilot_hosts.<host>                      the host's health record (KV bucket with a TTL)
 * ```
 *
 * Every part is one NATS token: hosts and session ids are checked against `[A-Za-z0-9_-]+` (a `.`
 * would shift every token after it, and `*`/`>` would turn a publish into a wildcard), and `_` is
 * reserved for host-level control.
 */
import { InvalidSubjectTokenError } from './errors.js';

export const SUBJECT_ROOT = 'copilot';
/** The JetStream stream holding every event and lifecycle record of the fleet. */
export const FLEET_STREAM = 'COPILOT_FLEET';
/** The KV bucket of host health records (key: host name). */
export const HOSTS_BUCKET = 'copilot_hosts';
/** The session token of host-level control subjects. */
export const HOST_LEVEL = '_';

export type SubjectKind = 'event' | 'lifecycle';
export type ControlVerb = 'create' | 'send' | 'abort' | 'answerPermission' | 'answerUserInput' | 'destroy';
export const CONTROL_VERBS: readonly ControlVerb[] = ['create', 'send', 'abort', 'answerPermission', 'answerUserInput', 'destroy'];

const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

/** Whether `value` is one safe NATS token for `what` (a session id may not be the reserved `_`). */
export function isToken(what: 'host' | 'sessionId', value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value) && !(what === 'sessionId' && value === HOST_LEVEL);
}

/** @throws InvalidSubjectTokenError naming the field, for a value that is not one safe NATS token. */
export function assertToken(what: 'host' | 'sessionId', value: string): string {
  if (!isToken(what, value)) throw new InvalidSubjectTokenError(what, value);
  return value;
}

/** `copilot.<host>.<sessionId>.<kind>`; `'*'` stands for any host or session (consumer filters only). */
export function sessionSubject(host: string, sessionId: string, kind: SubjectKind): string {
  return `${SUBJECT_ROOT}.${wildOr('host', host)}.${wildOr('sessionId', sessionId)}.${kind}`;
}

/** The subject a control request for `verb` goes to; `sessionId` is ignored for `create`. */
export function controlSubject(host: string, verb: ControlVerb, sessionId?: string): string {
  const session = verb === 'create' ? HOST_LEVEL : assertToken('sessionId', sessionId ?? '');
  return `${SUBJECT_ROOT}.${assertToken('host', host)}.${session}.control.${verb}`;
}

/** What a host's control service subscribes to: every control subject of that host. */
export function hostControlWildcard(host: string): string {
  return `${SUBJECT_ROOT}.${assertToken('host', host)}.*.control.*`;
}

/** The subjects the fleet stream captures. */
export function fleetStreamSubjects(): string[] {
  return [`${SUBJECT_ROOT}.*.*.event`, `${SUBJECT_ROOT}.*.*.lifecycle`];
}

export interface ParsedSubject {
  readonly host: string;
  readonly sessionId: string;
  readonly kind: string;
  /** The verb of a control subject. */
  readonly verb?: string;
}

/**
 * Splits a fleet subject into its parts; undefined for a subject outside the scheme, host and session
 * id included: each must pass the rule `assertToken` applies (a consumer's `*` filter also matches
 * `we!rd`, and an id read here must be one `session(host, id)` takes). `_` stands for the session only
 * in a control subject (host-level control).
 */
export function parseSubject(subject: string): ParsedSubject | undefined {
  const parts = subject.split('.');
  if (parts[0] !== SUBJECT_ROOT || parts.length < 4) return undefined;
  const [, host, sessionId, kind, verb] = parts as [string, string, string, string, string | undefined];
  const control = kind === 'control';
  if (!isToken('host', host) || !(isToken('sessionId', sessionId) || (control && sessionId === HOST_LEVEL))) return undefined;
  if (control) return parts.length === 5 ? { host, sessionId, kind, verb: verb! } : undefined;
  return parts.length === 4 ? { host, sessionId, kind } : undefined;
}

/** Why `parseSubject` refused a subject a consumer's `*` filter matched (for FleetDecodeError). */
export const NOT_SESSION_TOKENS = "host and session id must each be one token of [A-Za-z0-9_-], 1 to 128 characters (a session id not '_')";

function wildOr(what: 'host' | 'sessionId', value: string): string {
  return value === '*' ? value : assertToken(what, value);
}
