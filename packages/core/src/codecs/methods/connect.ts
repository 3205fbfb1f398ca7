/**
 * Codecs of the handshake: `connect` and its legacy fallback `ping` (protocol.md §1.6). The params are
 * the schema's; the results stay hand-written and lenient on purpose: the handshake is where a CLI of
 * another version is told apart (ProtocolVersionMismatchError), so it must read answers older or newer
 * than the pinned schema (which requires `ok`, `version` and `timestamp`).
 */
import * as t from 'io-ts';
import { ConnectRequest } from '../generated/api/index.js';

/** `token` is required by servers started with COPILOT_CONNECTION_TOKEN (tcp). */
export const ConnectParams = ConnectRequest;
export type ConnectParams = ConnectRequest;

export const ConnectResult = t.intersection([
  t.type({ protocolVersion: t.number }),
  t.partial({ ok: t.boolean, version: t.string, taskKinds: t.array(t.string) }),
]);
export type ConnectResult = t.TypeOf<typeof ConnectResult>;

export const PingResult = t.partial({ message: t.string, timestamp: t.string, protocolVersion: t.number });
export type PingResult = t.TypeOf<typeof PingResult>;
