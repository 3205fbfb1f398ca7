/**
 * The JSON Schemas of the Copilot CLI the repository pins (the installed `@github/copilot-<platform>`
 * package), for specs that check the generated codecs still cover them. The CLI ships them inside its
 * native binary and extracts them on first launch, so: the repository's shared extraction cache when a
 * run already filled it, else a launch of `copilot --version` into a temporary cache, removed afterwards.
 * Either way the answer does not depend on which specs ran before.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');
const SCHEMA_FILES = ['session-events.schema.json', 'api.schema.json'] as const;
/** A first launch unpacks about 230 MB; allow for a slow disk. */
const EXTRACT_TIMEOUT_MS = 120_000;

export interface PinnedSchemas {
  readonly cliVersion: string;
  /** The text of each schema file, by file name. */
  readonly texts: Readonly<Record<(typeof SCHEMA_FILES)[number], string>>;
}

export function readPinnedSchemas(): PinnedSchemas {
  const packageDir = path.join(repoRoot, 'node_modules/@github', `copilot-${process.platform}-${process.arch}`);
  if (!existsSync(path.join(packageDir, 'copilot'))) {
    throw new Error(`The pinned Copilot CLI is not installed at ${packageDir}: run npm ci`);
  }
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const schemasIn = (cache: string) => path.join(cache, 'copilot/pkg', `${process.platform}-${process.arch}`, version, 'schemas');
  const read = (dir: string) =>
    Object.fromEntries(SCHEMA_FILES.map((file) => [file, readFileSync(path.join(dir, file), 'utf8')])) as PinnedSchemas['texts'];

  const shared = schemasIn(path.join(repoRoot, '.copilot-state/cache'));
  if (SCHEMA_FILES.every((file) => existsSync(path.join(shared, file)))) return { cliVersion: version, texts: read(shared) };

  const cache = mkdtempSync(path.join(tmpdir(), 'copilot-rx-schemas-'));
  try {
    execFileSync(path.join(packageDir, 'copilot'), ['--version'], {
      env: { ...process.env, XDG_CACHE_HOME: cache },
      stdio: 'ignore',
      timeout: EXTRACT_TIMEOUT_MS,
    });
    return { cliVersion: version, texts: read(schemasIn(cache)) };
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
