/**
 * The command line and environment the CLI is launched with (protocol.md §1.2 and §1.3). Kept apart
 * from spawning so the exact argv and env can be checked without starting anything.
 */
import { validateRuntime } from './agentRuntime.js';
import type { CliLogLevel, CliProcessOptions } from './types.js';

/** How the launched CLI serves JSON-RPC: over its stdin/stdout, or on a TCP port. */
export type CliServerMode =
  | { readonly kind: 'stdio' }
  /** `port` 0 or absent lets the CLI pick a free port (it prints it). */
  | { readonly kind: 'tcp'; readonly port?: number; readonly connectionToken: string };

/** A ready-to-spawn command: `command` with `args`, in `env`. */
export interface CliCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** The variable the auth token travels in; `--auth-token-env` names it, so it is never in argv. */
export const AUTH_TOKEN_ENV = 'COPILOT_SDK_AUTH_TOKEN';
/** The variable that makes a TCP server require `connect {token}` (protocol.md §1.5). */
export const CONNECTION_TOKEN_ENV = 'COPILOT_CONNECTION_TOKEN';

const LOG_LEVELS: readonly CliLogLevel[] = ['none', 'error', 'warning', 'info', 'debug', 'all'];

/**
 * The CLI's argument vector: the user's `args` first, then
 * `--headless --no-auto-update [--log-level L] (--stdio | [--port N]) [--auth-token-env VAR --no-auto-login]`.
 */
export function buildCliArgs(options: CliProcessOptions, mode: CliServerMode): string[] {
  validateProcessOptions(options);
  const args = [...(options.args ?? []), '--headless', '--no-auto-update'];
  if (options.logLevel !== undefined) args.push('--log-level', options.logLevel);
  if (mode.kind === 'stdio') {
    args.push('--stdio');
  } else if (mode.port !== undefined) {
    validatePort('port', mode.port, true);
    if (mode.port > 0) args.push('--port', String(mode.port));
  }
  if (options.authToken !== undefined) args.push('--auth-token-env', AUTH_TOKEN_ENV, '--no-auto-login');
  return args;
}

/**
 * The CLI's environment: `options.env` (default `process.env`) without `NODE_DEBUG` (it would write
 * to stdout, which carries the protocol), plus the auth token and, over TCP, the connection token.
 */
export function buildCliEnv(options: CliProcessOptions, mode: CliServerMode): NodeJS.ProcessEnv {
  validateProcessOptions(options);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.env ?? process.env)) {
    if (value !== undefined) env[key] = value;
  }
  delete env['NODE_DEBUG'];
  if (options.authToken !== undefined) env[AUTH_TOKEN_ENV] = options.authToken;
  if (mode.kind === 'tcp') env[CONNECTION_TOKEN_ENV] = mode.connectionToken;
  return env;
}

/** The full command for `cliPath`: a `.js` entry runs under this Node (`process.execPath`). */
export function buildCliCommand(cliPath: string, options: CliProcessOptions, mode: CliServerMode): CliCommand {
  const args = buildCliArgs(options, mode);
  const env = buildCliEnv(options, mode);
  return /\.[cm]?js$/i.test(cliPath)
    ? { command: process.execPath, args: [cliPath, ...args], env }
    : { command: cliPath, args, env };
}

/**
 * Rejects options the CLI would misread, with a message naming the option. Token values are never
 * quoted back.
 */
export function validateProcessOptions(options: CliProcessOptions): void {
  const { args, logLevel, authToken, startupTimeoutMs, shutdownGraceMs, cwd, cliPath, runtime } = options;
  if (args !== undefined && (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string'))) {
    throw new TypeError(`CLI args must be an array of strings. Got ${describe(args)}`);
  }
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel)) {
    throw new RangeError(`logLevel must be one of ${LOG_LEVELS.join(', ')}. Got ${describe(logLevel)}`);
  }
  if (authToken !== undefined && (typeof authToken !== 'string' || authToken === '')) {
    throw new TypeError('authToken must be a non-empty string (its value is not shown)');
  }
  if (cliPath !== undefined && (typeof cliPath !== 'string' || cliPath === '')) {
    throw new TypeError(`cliPath must be a non-empty string. Got ${describe(cliPath)}`);
  }
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) {
    throw new TypeError(`cwd must be a non-empty string. Got ${describe(cwd)}`);
  }
  if (runtime !== undefined) validateRuntime(runtime);
  checkDuration('startupTimeoutMs', startupTimeoutMs);
  checkDuration('shutdownGraceMs', shutdownGraceMs);
}

/** A TCP port option: an integer 0..65535 (0 = any), or 1..65535 when `allowZero` is false. */
export function validatePort(name: string, port: unknown, allowZero: boolean): void {
  const min = allowZero ? 0 : 1;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < min || port > 65535) {
    throw new RangeError(`${name} must be an integer from ${min} to 65535. Got ${describe(port)}`);
  }
}

/** A connection token option: a non-empty string; its value is never shown. */
export function validateConnectionToken(token: unknown): void {
  if (token !== undefined && (typeof token !== 'string' || token === '')) {
    throw new TypeError('connectionToken must be a non-empty string (its value is not shown)');
  }
}

function checkDuration(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))) {
    throw new RangeError(`${name} must be a positive number of milliseconds. Got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string' || Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}
