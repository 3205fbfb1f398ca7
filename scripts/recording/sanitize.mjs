/**
 * Makes a recording fit to commit: the run's paths become the neutral ones the first recordings used
 * (`/workspace`, `/home/user`), the fake credentials become fixed words, and a recording that still
 * names a path of this machine is refused rather than written.
 */
import os from 'node:os';

/**
 * @param jsonl the recording as JSON Lines
 * @param sandbox the CLI sandbox it ran in (its paths)
 * @param secrets the endpoint's fake token and BYOK key (never written, even though fake)
 * @param forbidden absolute paths that must not survive (e.g. the repository root)
 */
export function sanitize(jsonl, sandbox, secrets, forbidden) {
  // Longest first: the run's subfolders before the run folder itself.
  const replacements = [
    [sandbox.cwd, '/workspace'],
    [sandbox.copilotHome, '/home/user/.copilot'],
    [sandbox.home, '/home/user'],
    [sandbox.cacheDir, '/home/user/.cache'],
    [sandbox.runDir, '/home/user/run'],
    [secrets.fakeToken, 'fake-token'],
    [secrets.apiKey, 'fake-key'],
  ].sort(([a], [b]) => b.length - a.length);
  let text = jsonl;
  for (const [from, to] of replacements) text = text.split(from).join(to);
  for (const path of [...forbidden, os.homedir(), os.tmpdir()].filter((p) => p.length > 4)) {
    const at = text.indexOf(path);
    if (at !== -1) throw new Error(`the recording still names ${path} (…${text.slice(Math.max(0, at - 60), at + 60)}…); add it to the sanitizer`);
  }
  return text;
}
