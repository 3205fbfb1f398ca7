/**
 * Every error copilot-rx raises is a `CopilotRxError` with a stable `code`, so callers can branch on
 * `error.code` (or `instanceof`) instead of parsing messages. Messages say what went wrong and what to
 * do about it, and quote the CLI's stderr where it explains the failure. Tokens never appear in them.
 */
export abstract class CopilotRxError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No Copilot CLI binary was found; `tried` lists every place that was looked at, in order. */
export class CliNotFoundError extends CopilotRxError {
  readonly code = 'CLI_NOT_FOUND';

  /** @param install How to install what was looked for (default: the CLI's npm package). */
  constructor(
    readonly tried: readonly string[],
    install = '`npm install @github/copilot`',
  ) {
    super(
      `Could not find the Copilot CLI. Tried:\n${tried.map((t) => `  - ${t}`).join('\n')}\n` +
        `Install it with ${install}, or pass \`cliPath\`, or set COPILOT_CLI_PATH.`,
    );
  }
}

/** The CLI process exited (or never became ready) before the connection was established. */
export class CliStartupError extends CopilotRxError {
  readonly code = 'CLI_STARTUP_FAILED';

  constructor(
    readonly detail: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly stderrTail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The Copilot CLI failed to start: ${detail}` +
        (exitCode !== null ? ` (exit code ${exitCode})` : signal !== null ? ` (signal ${signal})` : '') +
        '. Check the CLI path and arguments, and that the binary runs on this machine.' +
        formatStderr(stderrTail),
      options,
    );
  }
}

/** A socket to a Copilot CLI server could not be opened (refused, timed out, unknown host). */
export class CliConnectError extends CopilotRxError {
  readonly code = 'CLI_CONNECT_FAILED';

  constructor(
    readonly host: string,
    readonly port: number,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Could not connect to the Copilot CLI server at ${host}:${port}: ${detail}. ` +
        `Check that \`copilot --headless --port ${port}\` is running and that the host and port are right.`,
      options,
    );
  }
}

/** The CLI speaks a protocol version this client does not support. */
export class ProtocolVersionMismatchError extends CopilotRxError {
  readonly code = 'PROTOCOL_VERSION_MISMATCH';

  constructor(
    readonly expected: number,
    readonly actual: number | undefined,
    readonly cliVersion: string | undefined,
  ) {
    super(
      `The Copilot CLI${cliVersion ? ` ${cliVersion}` : ''} speaks protocol version ${actual ?? '(none reported)'}, ` +
        `but copilot-rx needs version ${expected}. Install a CLI release that speaks protocol ${expected} ` +
        '(the version pinned in @copilot-rx/core is known to work).',
    );
  }
}

/** The server refused the connection token (`AUTHENTICATION_FAILED`/`AUTHENTICATION_REQUIRED`). */
export class AuthenticationError extends CopilotRxError {
  readonly code = 'AUTHENTICATION_FAILED';

  constructor(
    readonly rpcCode: number,
    readonly serverMessage: string,
  ) {
    super(
      `The Copilot CLI server rejected the connection (${serverMessage}, code ${rpcCode}). ` +
        'Pass the same connection token the server was started with (COPILOT_CONNECTION_TOKEN) as `connectionToken`.',
    );
  }
}

/**
 * The transport died: the CLI exited or the socket closed. Every live stream and pending request of the
 * connection fails with this error at once.
 */
export class ConnectionClosedError extends CopilotRxError {
  readonly code = 'CONNECTION_CLOSED';

  constructor(
    readonly reason: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly stderrTail: string,
  ) {
    super(
      `The connection to the Copilot CLI closed: ${reason}` +
        (exitCode !== null ? ` (exit code ${exitCode})` : signal !== null ? ` (signal ${signal})` : '') +
        '.' +
        formatStderr(stderrTail),
    );
  }
}

/** A JSON-RPC request failed with an error response from the CLI. */
export class RpcError extends CopilotRxError {
  readonly code = 'RPC_ERROR';

  constructor(
    readonly method: string,
    readonly rpcCode: number,
    readonly serverMessage: string,
    readonly data?: unknown,
  ) {
    super(`${method} failed: ${serverMessage} (JSON-RPC error ${rpcCode})`);
  }
}

/** A response from the CLI did not have the shape the protocol promises. */
export class ResponseDecodeError extends CopilotRxError {
  readonly code = 'RESPONSE_DECODE_FAILED';

  constructor(
    readonly method: string,
    readonly messages: readonly string[],
    readonly raw: unknown,
  ) {
    super(`The CLI's answer to ${method} has an unexpected shape: ${messages.join('; ')}`);
  }
}

/** The agent reported a failure for the turn (`session.error`). */
export class SessionError extends CopilotRxError {
  readonly code = 'SESSION_ERROR';

  constructor(
    readonly sessionId: string,
    readonly errorType: string,
    readonly statusCode: number | undefined,
    readonly serverMessage: string,
    readonly errorCode?: string,
  ) {
    super(`Session ${sessionId} failed (${errorType}${statusCode !== undefined ? `, HTTP ${statusCode}` : ''}): ${serverMessage}`);
  }
}

/** A method was called on a client or session that is not (or no longer) usable. */
export class InvalidStateError extends CopilotRxError {
  readonly code = 'INVALID_STATE';
}

function formatStderr(tail: string): string {
  const trimmed = tail.trim();
  return trimmed ? `\nCLI stderr (last lines):\n${trimmed}` : '';
}
