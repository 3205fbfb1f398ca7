// The one piece of set-up every recipe shares, so each recipe shows only its use case.
//
// Offline (the default): the real Copilot CLI in a throwaway sandbox, talking to the scripted model
// endpoint of @copilot-rx/testing on 127.0.0.1. No account, nothing leaves the machine. A prompt
// without [[markers]] gets the endpoint's demo prose; the markers script what a recipe needs to show
// (a tool call, a model error, a stall). In your own app all of this is `new CopilotRxClient()`.
//
// --live: the Copilot service, with your login or COPILOT_GITHUB_TOKEN / GH_TOKEN / GITHUB_TOKEN.
// The markers are stripped from prompts there (the real model would read them as words).
//
// --fast (what the cookbook's test passes): every pace 1 ms, so the recipes run in seconds.
import { CopilotRxClient, type SessionConfig } from '@copilot-rx/core';
import { createCliSandbox, DEMO_PACE_MS, startScriptedModelEndpoint } from '@copilot-rx/testing';

export const MODEL = 'claude-sonnet-4.5';

/** The flags the runner passes through: `--live`, `--fast`, and `--name=value` settings. */
const argv = process.argv.slice(2);
export const live = argv.includes('--live');
export const fast = argv.includes('--fast');

/** A recipe's numeric setting, `--name=N` on the command line, else `fallback`. */
export function setting(name: string, fallback: number): number {
  const given = argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const value = given === undefined ? fallback : Number(given);
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`--${name} must be a positive integer. Got ${JSON.stringify(given)}`);
  return value;
}

export interface Backend {
  readonly client: CopilotRxClient;
  /** `offline`: the real CLI and the scripted model; `live`: the Copilot service. */
  readonly mode: 'offline' | 'live';
  /** Session options for this backend; offline they point the session at the scripted model. */
  sessionConfig(extra?: SessionConfig): SessionConfig;
  /** `text`, plus the markers that script the offline model (dropped live; paces cut to 1 ms under --fast). */
  prompt(text: string, markers?: string): string;
}

/**
 * Starts the backend, runs the recipe, and stops everything, however the recipe ended. A failure is
 * printed with its class and code, and the process exits 1.
 */
export async function runRecipe(recipe: (backend: Backend) => Promise<void>): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const backend = await start(stops);
    await recipe(backend);
  } catch (error) {
    const { name, message, code } = error as { name?: string; message?: string; code?: string };
    console.error(`recipe failed: ${name ?? 'Error'}${code ? ` [${code}]` : ''}: ${message ?? String(error)}`);
    if (live) console.error('--live needs a Copilot login: run `copilot` and /login once, or set COPILOT_GITHUB_TOKEN.');
    process.exitCode = 1;
  } finally {
    // In reverse order of starting: the client (and its CLI) first, so nothing still uses the
    // sandbox or talks to the endpoint when they go. A failed step is said, and the rest still run.
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(`clean-up failed: ${String(error)}`));
  }
}

async function start(stops: (() => Promise<void>)[]): Promise<Backend> {
  if (live) {
    const token = process.env['COPILOT_GITHUB_TOKEN'] ?? process.env['GH_TOKEN'] ?? process.env['GITHUB_TOKEN'];
    const client = new CopilotRxClient({ logLevel: 'error', ...(token ? { authToken: token } : {}) });
    stops.push(() => client.stop());
    await client.start();
    return {
      client,
      mode: 'live',
      sessionConfig: (extra = {}) => ({ streaming: true, model: MODEL, ...extra }),
      prompt: (text) => text,
    };
  }
  const endpoint = await startScriptedModelEndpoint({ defaultScenario: { kind: 'demo', paceMs: fast ? 1 : DEMO_PACE_MS } });
  stops.push(() => endpoint.close());
  const sandbox = await createCliSandbox();
  stops.push(() => sandbox.dispose());
  const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' });
  stops.push(() => client.stop());
  await client.start();
  return {
    client,
    mode: 'offline',
    sessionConfig: (extra = {}) => ({
      streaming: true,
      model: MODEL,
      provider: endpoint.byokProvider(),
      // Only the recipe's own tools: the CLI's built-ins (bash, edit...) stay out of the model's reach.
      availableTools: (extra.tools ?? []).map((tool) => tool.name),
      ...extra,
    }),
    prompt: (text, markers = '') => `${text} ${fast ? markers.replace(/\[\[pace \d+\]\]/g, '[[pace 1]]') : markers}`.trim(),
  };
}
