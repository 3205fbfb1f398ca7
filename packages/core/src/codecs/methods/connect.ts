/** Codecs of the handshake: `connect` and its legacy fallback `ping` (protocol.md §1.6). */
import * as t from 'io-ts';

export const ConnectParams = t.partial({
  /** Required by servers started with COPILOT_CONNECTION_TOKEN (tcp). */
  token: t.string,
  enableGitHubTelemetryForwarding: t.boolean,
  supportedTaskKinds: t.array(t.string),
});
export type ConnectParams = t.TypeOf<typeof ConnectParams>;

export const ConnectResult = t.intersection([
  t.type({ protocolVersion: t.number }),
  t.partial({ ok: t.boolean, version: t.string, taskKinds: t.array(t.string) }),
]);
export type ConnectResult = t.TypeOf<typeof ConnectResult>;

export const PingResult = t.partial({ message: t.string, timestamp: t.string, protocolVersion: t.number });
export type PingResult = t.TypeOf<typeof PingResult>;
