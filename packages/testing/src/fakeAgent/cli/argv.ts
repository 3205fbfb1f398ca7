/**
 * The fake agent's command line: the arguments the official SDK and copilot-rx pass to the real CLI
 * (protocol.md §1.2), so the bin can stand in as `cliPath`, plus `--script` to choose the scripts.
 */

/** How the process was asked to run. */
export interface FakeAgentArgs {
  /** `--stdio`: JSON-RPC over stdin/stdout; otherwise a TCP server on 127.0.0.1. */
  readonly mode: 'stdio' | 'tcp';
  /** `--port N`; 0 (the default) picks a free port. */
  readonly port: number;
  /** `--script PATH`: a module whose export chooses the scripts (see `loadScriptModule`). */
  readonly script?: string;
}

/** A command line the fake agent (like the CLI) refuses; the process exits with code 1. */
export class ArgvError extends Error {
  override readonly name = 'ArgvError';
}

/** Flags the CLI accepts that change nothing for the fake. */
const IGNORED_FLAGS = new Set(['--headless', '--no-auto-update', '--no-auto-login', '--remote', '--acp']);
/** Options with a value the CLI accepts that change nothing for the fake. */
const IGNORED_OPTIONS = new Set(['--log-level', '--auth-token-env', '--session-idle-timeout']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** @throws ArgvError naming the unknown option or the bad value. */
export function parseAgentArgs(argv: readonly string[]): FakeAgentArgs {
  let mode: 'stdio' | 'tcp' = 'tcp';
  let port = 0;
  let script: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new ArgvError(`error: option '${flag}' argument missing`);
      return next;
    };
    if (IGNORED_FLAGS.has(flag)) continue;
    if (IGNORED_OPTIONS.has(flag)) {
      value();
      continue;
    }
    switch (flag) {
      case '--stdio':
        mode = 'stdio';
        break;
      case '--port':
        port = portNumber(value());
        break;
      case '--host': {
        const host = value();
        if (!LOOPBACK_HOSTS.has(host)) throw new ArgvError(`error: the fake agent only listens on 127.0.0.1; got --host ${host}`);
        break;
      }
      case '--script':
        script = value();
        break;
      default:
        throw new ArgvError(`error: unknown option '${flag}'`);
    }
  }
  return { mode, port, ...(script === undefined ? {} : { script }) };
}

function portNumber(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new ArgvError(`error: option '--port <port>' argument '${text}' is invalid: a port is an integer from 0 to 65535`);
  return port;
}
