/**
 * Codecs of the methods the official SDK calls that the CLI's API schema does not list (so nothing is
 * generated for them): `status.get`, `auth.getStatus`, `session.getForeground`, `session.setForeground`.
 * Shapes from the answers of CLI 1.0.102 (e2e/parity/managementAndControls.spec.ts checks them on it).
 * Read leniently, like every result: extra fields pass.
 */
import * as t from 'io-ts';
import { absentWhenNull } from '../codecs/absentWhenNull.js';
import { CopilotRxError } from '../errors.js';

/** `status.get`: the CLI's version and protocol version. */
export const CliStatus = t.type({ version: t.string, protocolVersion: t.number }, 'CliStatus');
export type CliStatus = t.TypeOf<typeof CliStatus>;

/** `auth.getStatus`: whether, how and as whom the CLI is signed in to GitHub. */
export const AuthStatus = t.intersection(
  [
    t.type({ isAuthenticated: t.boolean }),
    t.partial({
      /** "user", "env", "gh-cli", "hmac", "api-key", "token" (open: newer CLIs may add kinds). */
      authType: absentWhenNull(t.string),
      host: absentWhenNull(t.string),
      login: absentWhenNull(t.string),
      statusMessage: absentWhenNull(t.string),
    }),
  ],
  'AuthStatus',
);
export type AuthStatus = t.TypeOf<typeof AuthStatus>;

/** `session.getForeground`: empty when the CLI shows no session (headless mode). */
export const ForegroundSession = t.partial(
  { sessionId: absentWhenNull(t.string), workspacePath: absentWhenNull(t.string) },
  'ForegroundSession',
);
export type ForegroundSession = t.TypeOf<typeof ForegroundSession>;

/** `session.setForeground`'s answer: a refusal is `success: false` with the reason. */
export const ForegroundChange = t.intersection(
  [t.type({ success: t.boolean }), t.partial({ error: absentWhenNull(t.string) })],
  'ForegroundChange',
);

/**
 * The CLI answered a request but refused it (`success: false`), e.g. `session.setForeground` on a
 * headless CLI: "Not running in TUI+server mode". `reason` is the CLI's own words.
 */
export class RequestRefusedError extends CopilotRxError {
  readonly code = 'REQUEST_REFUSED';

  constructor(
    readonly method: string,
    readonly reason: string,
  ) {
    super(`${method} was refused by the CLI: ${reason}`);
  }
}
