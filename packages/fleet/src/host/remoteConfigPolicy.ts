/**
 * Which settings a remote create may choose on this host. An operator's create can carry a provider
 * (a model endpoint URL and key: the conversation, and what the agent's tools read on this machine,
 * would go there), a system message, and tool lists that widen what the host's defaults narrowed.
 * By default a host takes none of them: remote sessions run on its `sessionDefaults`, and a create
 * that asks for more is refused with CONFIG_REFUSED naming the fields, never silently stripped (the
 * operator would get a session that is not what they asked for).
 */
import type { RemoteSessionConfig } from '../wire/control.js';

/** A setting of RemoteSessionConfig (the session id is not a setting: a create may always name it). */
export type RemoteConfigField = Exclude<keyof RemoteSessionConfig, 'sessionId'>;

export const REMOTE_CONFIG_FIELDS: readonly RemoteConfigField[] = ['model', 'streaming', 'reasoningEffort', 'provider', 'systemMessage', 'availableTools', 'excludedTools'];

/**
 * - `'defaults-only'` (the default): no setting from a remote create; every session runs on the
 *   host's `sessionDefaults`.
 * - `'allow'`: every setting RemoteSessionConfig carries, over the defaults.
 * - a list of fields: those, over the defaults; any other is refused.
 */
export type RemoteConfigPolicy = 'defaults-only' | 'allow' | readonly RemoteConfigField[];

/** @throws RangeError naming the value, for a policy that is none of the above. */
export function assertRemoteConfigPolicy(policy: unknown): RemoteConfigPolicy {
  if (policy === 'defaults-only' || policy === 'allow') return policy;
  if (Array.isArray(policy)) {
    const unknown = policy.filter((field) => !REMOTE_CONFIG_FIELDS.includes(field as RemoteConfigField));
    if (unknown.length === 0) return policy as RemoteConfigField[];
    throw new RangeError(`remoteConfig lists fields a remote create cannot carry: ${unknown.slice(0, 5).map((f) => JSON.stringify(String(f).slice(0, 40))).join(', ')}; the fields are ${REMOTE_CONFIG_FIELDS.join(', ')}`);
  }
  throw new RangeError(`remoteConfig must be 'defaults-only', 'allow' or a list of fields (${REMOTE_CONFIG_FIELDS.join(', ')}). Got ${JSON.stringify(String(policy).slice(0, 40))}`);
}

/** The settings in `config` that `policy` does not let a remote create choose, in RemoteSessionConfig's order. */
export function refusedRemoteFields(config: RemoteSessionConfig, policy: RemoteConfigPolicy): RemoteConfigField[] {
  if (policy === 'allow') return [];
  const allowed = policy === 'defaults-only' ? [] : policy;
  return REMOTE_CONFIG_FIELDS.filter((field) => config[field] !== undefined && !allowed.includes(field));
}
