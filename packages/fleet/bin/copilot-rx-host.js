#!/usr/bin/env node
'use strict';
/**
 * copilot-rx-host: runs Copilot CLIs on this machine and publishes them to a NATS JetStream fleet.
 *
 *   copilot-rx-host --nats nats://127.0.0.1:4222 --host build-7 [--clients 2] [--cli-path PATH]
 *
 * See `--help` and packages/fleet/README.md.
 */
const fs = require('node:fs');
const path = require('node:path');

/** In the repository, run the sources through tsx (never a stale build); a published package runs dist/. */
function loadMain() {
  const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
  if (fs.existsSync(source) && resolvable('tsx/cjs/api')) {
    require('tsx/cjs/api').register();
    return require(source);
  }
  return require(path.join(__dirname, '..', 'dist', 'cjs', 'cli', 'main.js'));
}

function resolvable(name) {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false; // not installed: a published package, which runs dist/
  }
}

if (process.argv.includes('--help')) {
  process.stdout.write(`${loadMain().USAGE ?? ''}\n`);
  process.exit(0);
}
loadMain()
  .main(process.argv.slice(2), process.env)
  .then(() => process.exit(0))
  .catch((error) => {
    if (error && error.name === 'HostUsageError') {
      process.stderr.write(`copilot-rx-host: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`copilot-rx-host: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  });
