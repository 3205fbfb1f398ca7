import type { HostStatus } from '@copilot-rx/fleet';
import type { HostView } from '../model/view';

/** A host's health record as the hosts table shows it. */
export function hostView(status: HostStatus): HostView {
  return {
    host: status.host,
    up: status.up,
    downReason: status.up ? null : (status.downReason ?? 'expired'),
    lastSeen: new Date(status.lastSeen).toISOString(),
    cliVersions: status.cliVersions,
    sessions: status.sessions,
    outboxPending: status.outbox.pending,
    outboxDropped: status.outbox.dropped,
  };
}

/** The host a new session goes to: the one named (it must be up), or the only host up. */
export function pickHost(hosts: readonly HostStatus[], named: string | undefined): { readonly host: string } | { readonly refusal: { readonly status: number; readonly message: string } } {
  const up = hosts.filter((host) => host.up).map((host) => host.host);
  if (named !== undefined) {
    const known = hosts.find((host) => host.host === named);
    if (known === undefined) return { refusal: { status: 404, message: `No host ${JSON.stringify(named)} in the fleet${up.length ? `; hosts up: ${up.join(', ')}` : ''}` } };
    if (!known.up) return { refusal: { status: 409, message: `Host ${JSON.stringify(named)} is down (${known.downReason ?? 'expired'})` } };
    return { host: named };
  }
  if (up.length === 1) return { host: up[0]! };
  if (up.length === 0) return { refusal: { status: 503, message: 'No host of the fleet is up: start one (copilot-rx-host --nats URL --host NAME)' } };
  return { refusal: { status: 400, message: `Name a host with "host": ${up.length} are up (${up.join(', ')})` } };
}
