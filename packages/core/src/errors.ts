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

/**
 * A request to the CLI got no answer within its timeout (`requestTimeoutMs`, or the call's own
 * `timeoutMs`). The request was cancelled on the wire (`$/cancelRequest`), so a late answer is ignored.
 */
export class RequestTimeoutError extends CopilotRxError {
  readonly code = 'REQUEST_TIMEOUT';

  constructor(
    readonly method: string,
    readonly elapsedMs: number,
  ) {
    super(
      `${method} got no answer from the Copilot CLI within ${elapsedMs} ms; the request was cancelled. ` +
        'The CLI may be busy or hung: raise the timeout for slow methods, or stop the client.',
    );
  }
}

/**
 * A turn heard nothing from the CLI for `silenceTimeoutMs` (`session.send({ prompt, silenceTimeoutMs })`):
 * the turn fails with this error and is aborted on the CLI. `eventsSeen` tells a CLI that never started
 * (0) from one that stalled mid-answer.
 */
export class TurnSilenceError extends CopilotRxError {
  readonly code = 'TURN_SILENCE';

  constructor(
    readonly sessionId: string,
    readonly silenceMs: number,
    readonly eventsSeen: number,
  ) {
    super(
      `Session ${sessionId}'s turn heard nothing from the CLI for ${silenceMs} ms ` +
        (eventsSeen === 0 ? '(no event at all since the send)' : `(after ${eventsSeen} events)`) +
        '; the turn was aborted.',
    );
  }
}

/** Which of a session's handlers an answer came from. */
export type HandlerKind =
  | 'tool'
  | 'permission'
  | 'userInput'
  | 'autoModeSwitch'
  | 'elicitation'
  | 'exitPlanMode'
  | 'hook'
  | 'mcpAuth'
  | 'listModels';

/**
 * A session handler (tool, permission, user input, auto-mode switch) did not settle within its
 * deadline (`handlerTimeouts`): the safe answer was sent for it and its AbortSignal fired with this error.
 */
export class HandlerTimeoutError extends CopilotRxError {
  readonly code = 'HANDLER_TIMEOUT';

  constructor(
    readonly handler: HandlerKind,
    /** The tool's name, or the request's id. */
    readonly subject: string,
    readonly timeoutMs: number,
  ) {
    super(`The ${handler} handler for ${subject} did not answer within ${timeoutMs} ms`);
  }
}

/**
 * A session handler settled without a usable answer: `undefined`, a value of the wrong shape, or an
 * Observable that completed without a value. `messages` are the io-ts paths that failed; `answer` a
 * bounded description of what came back.
 */
export class InvalidHandlerAnswerError extends CopilotRxError {
  readonly code = 'INVALID_HANDLER_ANSWER';

  constructor(
    readonly handler: HandlerKind,
    readonly subject: string,
    readonly messages: readonly string[],
    readonly answer: string,
  ) {
    super(`The ${handler} handler for ${subject} answered ${answer}, which is not a valid answer: ${messages.join('; ')}`);
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

/**
 * A turn's session was shut down by the CLI while the turn ran: the link to the CLI broke and this
 * client was the session's only holder, so the CLI ended the session (`session.shutdown`) and the turn
 * with it. `received` holds what the turn had emitted; the session itself was resumed, so the next
 * `send` works. Keep a second attachment (a host process) to have turns survive a cut instead.
 */
export class TurnInterruptedError extends CopilotRxError {
  readonly code = 'TURN_INTERRUPTED';

  constructor(
    readonly sessionId: string,
    /** The events the turn emitted before it was interrupted, in order. */
    readonly received: readonly { readonly type: string }[],
    readonly reason: string,
  ) {
    super(`Session ${sessionId}'s turn was interrupted after ${received.length} events: ${reason}`);
  }
}

/**
 * A request was in flight when the link to the CLI broke, so its answer is lost. `mayHaveBeenApplied`
 * is true when it had been written to the link: the CLI may have acted on it (a `session.send` may
 * have started a turn), so it is never re-sent blindly; check the session's state after the reconnect.
 */
export class RequestInterruptedError extends CopilotRxError {
  readonly code = 'REQUEST_INTERRUPTED';

  constructor(
    readonly method: string,
    readonly mayHaveBeenApplied: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      `${method} was interrupted: the link to the Copilot CLI broke ` +
        (mayHaveBeenApplied ? 'after it was sent, so the CLI may have applied it' : 'before it was sent, so the CLI did not apply it'),
      options,
    );
  }
}
