/**
 * How the fleet reaches NATS: an open connection the app made (any servers, TLS, credentials, nkeys,
 * token: NATS's own options), or the options to open one. Nothing here assumes an open broker.
 */
import { connect, type NodeConnectionOptions, type NatsConnection } from '@nats-io/transport-node';

export type FleetConnection = { readonly connection: NatsConnection } | { readonly connect: NodeConnectionOptions };

/**
 * What the fleet sets on a connection it opens, under the app's own options (which win). Without
 * `noAsyncTraces` the client makes an error object for every request, a JetStream publish included,
 * only to add where the request began to its stack should it fail: about 4% of a host's CPU per
 * publish. Errors keep their classes and messages either way.
 */
export const FLEET_CONNECTION_DEFAULTS = { noAsyncTraces: true } as const satisfies Partial<NodeConnectionOptions>;

/** The connection to use and whether the fleet owns it (then it closes it on stop). */
export async function openConnection(option: FleetConnection, name: string): Promise<{ nc: NatsConnection; owned: boolean }> {
  if ('connection' in option) return { nc: option.connection, owned: false };
  return { nc: await connect({ name, ...FLEET_CONNECTION_DEFAULTS, ...option.connect }), owned: true };
}
