/**
 * How the fleet reaches NATS: an open connection the app made (any servers, TLS, credentials, nkeys,
 * token: NATS's own options), or the options to open one. Nothing here assumes an open broker.
 */
import { connect, type NodeConnectionOptions, type NatsConnection } from '@nats-io/transport-node';

export type FleetConnection = { readonly connection: NatsConnection } | { readonly connect: NodeConnectionOptions };

/** The connection to use and whether the fleet owns it (then it closes it on stop). */
export async function openConnection(option: FleetConnection, name: string): Promise<{ nc: NatsConnection; owned: boolean }> {
  if ('connection' in option) return { nc: option.connection, owned: false };
  return { nc: await connect({ name, ...option.connect }), owned: true };
}
