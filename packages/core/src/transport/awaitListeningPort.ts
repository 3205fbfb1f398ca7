/**
 * Reads the port a TCP-mode CLI prints when it is ready (protocol.md §1.5): `CLI server listening on
 * port 36805`. The line is the readiness signal, so start-up fails if the CLI exits or stays silent.
 */
import type { Readable } from 'node:stream';
import { CliStartupError } from '../errors.js';
import type { CliProcess } from './CliProcess.js';

// The digits must be followed by something (the line's newline): a chunk may end inside the number.
const BANNER = /listening on port (\d+)(?=\D)/i;
/** The banner is one short line; more unmatched output than this is not worth keeping to search. */
const MAX_SEARCH_CHARS = 4096;

/**
 * Resolves with the port from the CLI's stdout banner. Rejects with CliStartupError (exit code or
 * signal, stderr tail) when the CLI exits first or prints nothing matching within `timeoutMs`; the
 * caller stops the process. stdout keeps being drained afterwards, so the CLI never blocks on a full pipe.
 */
export function awaitListeningPort(cli: CliProcess, timeoutMs: number): Promise<number> {
  const stdout: Readable = cli.stdout;
  let seen = '';
  return new Promise<number>((resolve, reject) => {
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stdout.off('data', onData);
      // Keep draining: a CLI that logs to stdout must never stall on a full pipe.
      stdout.on('data', ignore);
      settle();
    };
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-MAX_SEARCH_CHARS);
      const match = BANNER.exec(seen);
      if (!match) return;
      const port = Number(match[1]);
      if (port >= 1 && port <= 65535) finish(() => resolve(port));
      else finish(() => reject(new CliStartupError(`the CLI printed an invalid port: ${match[0]}`, null, null, cli.stderrTail())));
    };
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          new CliStartupError(
            `the CLI did not print "listening on port N" on stdout within ${timeoutMs} ms`,
            null,
            null,
            cli.stderrTail(),
          ),
        ),
      );
    }, timeoutMs);
    stdout.on('data', onData);
    void cli.exited.then((info) => {
      finish(() =>
        reject(new CliStartupError('the CLI exited before it printed its port', info.exitCode, info.signal, cli.stderrTail())),
      );
    });
  });
}

function ignore(): void {}
