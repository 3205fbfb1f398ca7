import { parseArgs } from 'node:util';

export interface AppArgs {
  /** Terminal mode: stream the answer to this prompt to stdout, then exit. */
  readonly prompt: string | undefined;
  readonly live: boolean;
  readonly offline: boolean;
  readonly port: number;
  readonly model: string | undefined;
  readonly demo: boolean;
  readonly help: boolean;
  /** Fleet mode: the NATS servers of the fleet (none: the embedded single-machine mode). */
  readonly fleet: readonly string[];
  readonly fleetCreds: string | undefined;
  readonly fleetTlsCa: string | undefined;
}

export const USAGE = `Usage: npm start [-- options]

  (no options)          the live dashboard: prints a URL on 127.0.0.1 to open
  --prompt "..."        terminal mode: stream one answer to stdout, a status line on stderr
  --live                use the real Copilot service (also implied by COPILOT_GITHUB_TOKEN or GH_TOKEN)
  --offline             use the embedded scripted model even when a token is present
  --port N              the dashboard's port (default: a free one)
  --model NAME          the model sessions ask for (default: claude-sonnet-4.5)
  --no-demo             start the dashboard without its demo sessions
  --fleet URL           the fleet mode: every host and session published to this NATS server
                        (repeat for a cluster) by copilot-rx-host; no CLI of its own. Credentials:
                        NATS_TOKEN or NATS_USER/NATS_PASSWORD in the environment, or:
  --fleet-creds FILE    a NATS credentials file
  --fleet-tls-ca FILE   the CA of a TLS connection to NATS
  --help                this text

Offline, prompts may carry markers that script the model: [[chunks N]] [[pace MS]] [[reasoning N]]
[[tool get_weather {"city":"Paris"}]] [[http 500]] [[hang]] ...`;

/** Parses the command line; a bad option throws a TypeError that names it. */
export function parseAppArgs(argv: readonly string[]): AppArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      prompt: { type: 'string' },
      live: { type: 'boolean', default: false },
      offline: { type: 'boolean', default: false },
      port: { type: 'string', default: '0' },
      model: { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      fleet: { type: 'string', multiple: true },
      'fleet-creds': { type: 'string' },
      'fleet-tls-ca': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TypeError(`--port must be an integer from 0 to 65535. Got ${JSON.stringify(values.port)}`);
  if (values.live && values.offline) throw new TypeError('--live and --offline contradict each other; give one');
  if (values.prompt !== undefined && values.prompt.trim() === '') throw new TypeError('--prompt needs a non-empty prompt');
  const fleet = values.fleet ?? [];
  for (const url of fleet) checkNatsUrl(url);
  if (fleet.length === 0 && (values['fleet-creds'] !== undefined || values['fleet-tls-ca'] !== undefined)) throw new TypeError('--fleet-creds and --fleet-tls-ca need --fleet URL');
  if (fleet.length > 0) {
    // The fleet mode runs no CLI: the options that configure one would be silently ignored.
    const local = (['prompt', 'live', 'offline', 'model'] as const).filter((name) => values[name] !== undefined && values[name] !== false);
    if (local.length > 0) throw new TypeError(`--fleet watches remote hosts and runs no CLI; drop ${local.map((name) => `--${name}`).join(', ')}`);
  }
  return {
    prompt: values.prompt,
    live: values.live,
    offline: values.offline,
    port,
    model: values.model,
    demo: !values['no-demo'],
    help: values.help,
    fleet,
    fleetCreds: values['fleet-creds'],
    fleetTlsCa: values['fleet-tls-ca'],
  };
}

/** A NATS server URL (nats://, tls://, ws:// or wss://, with a host); a TypeError naming it otherwise. */
function checkNatsUrl(text: string): void {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || !['nats:', 'tls:', 'ws:', 'wss:'].includes(url.protocol) || url.hostname === '') {
    throw new TypeError(`--fleet must be a NATS server URL like nats://127.0.0.1:4222. Got ${JSON.stringify(text.slice(0, 200))}`);
  }
}
