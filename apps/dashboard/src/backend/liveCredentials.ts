/** The environment variables that carry a GitHub token for the Copilot service, most specific first. */
export const TOKEN_VARIABLES = ['COPILOT_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN'] as const;

/** The first token found in the environment, if any. Never logged: only its variable's name is shown. */
export function findToken(env: NodeJS.ProcessEnv): { readonly variable: string; readonly token: string } | undefined {
  for (const variable of TOKEN_VARIABLES) {
    const token = env[variable];
    if (token) return { variable, token };
  }
  return undefined;
}

/**
 * Live mode talks to the real Copilot service: asked for with `--live`, or implied by a token in
 * COPILOT_GITHUB_TOKEN or GH_TOKEN (GITHUB_TOKEN alone is often a CI token without Copilot access, so
 * it is used, but does not switch modes). `--offline` always wins.
 */
export function wantsLive(flags: { readonly live: boolean; readonly offline: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (flags.offline) return false;
  return flags.live || Boolean(env['COPILOT_GITHUB_TOKEN'] || env['GH_TOKEN']);
}
