#!/usr/bin/env node
/**
 * `npm start`: the real Copilot CLI streamed into a live dashboard on 127.0.0.1, or, with
 * `--prompt`, into the terminal. Offline by default (the embedded scripted model, no account); live
 * with `--live` or a Copilot token in the environment; with `--fleet nats://...`, every host and
 * session of a fleet (no CLI of its own). Ctrl-C stops the turns, the CLI, the scripted model and the
 * sandbox, then exits; a second Ctrl-C kills the CLI at once.
 */
import { parseAppArgs, USAGE, type AppArgs } from './args';
import { wantsLive } from './backend/liveCredentials';
import { startBackend } from './backend/startBackend';
import { describeError } from './describeError';
import { runFleetDashboard } from './fleet/runFleetDashboard';
import { startDashboard, type Dashboard } from './startDashboard';
import { runTerminal } from './terminal/runTerminal';

const say = (line: string) => process.stderr.write(`copilot-rx: ${line}\n`);

async function main(args: AppArgs, stop: AbortSignal): Promise<number> {
  if (args.fleet.length > 0) return runFleetDashboard(args, { say, serve: (dashboard) => serveUntilStopped(dashboard, stop), stop });
  const backend = await startBackend({ live: wantsLive(args, process.env), ...(args.model === undefined ? {} : { model: args.model }) });
  try {
    const state = backend.client.state;
    const version = state.status === 'connected' && state.cliVersion ? ` ${state.cliVersion}` : '';
    say(`Copilot CLI${version} (pid ${backend.client.pid ?? 'unknown'}) talking to ${backend.description}`);
    if (stop.aborted) return 130;
    if (args.prompt !== undefined) return await runTerminal(backend, args.prompt, { stdout: process.stdout, stderr: process.stderr }, stop);
    return await serveUntilStopped(await startDashboard(backend, { port: args.port, demo: args.demo }), stop);
  } finally {
    await backend.stop();
  }
}

async function serveUntilStopped(dashboard: Dashboard, stop: AbortSignal): Promise<number> {
  process.stdout.write(`copilot-rx dashboard: open ${dashboard.url}\n`);
  say('press Ctrl-C to stop');
  await new Promise<void>((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })));
  say('stopping');
  await dashboard.close();
  return 0;
}

let args: AppArgs;
try {
  args = parseAppArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${describeError(error)}\n\n${USAGE}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const stopping = new AbortController();
let signals = 0;
const onSignal = (): void => {
  // The first Ctrl-C stops politely; a second one does not wait (the CLI is killed on exit).
  if (++signals > 1) process.exit(130);
  stopping.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main(args, stopping.signal).then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(describeError(error));
    process.exit(1);
  },
);
