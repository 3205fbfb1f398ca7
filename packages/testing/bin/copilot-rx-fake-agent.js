#!/usr/bin/env node
'use strict';
/**
 * copilot-rx-fake-agent: the FakeCopilotAgent of @copilot-rx/testing as a process that takes the real
 * Copilot CLI's arguments, so it can be given as `cliPath`:
 *
 *   copilot-rx-fake-agent --headless --no-auto-update --stdio      JSON-RPC on stdin/stdout
 *   copilot-rx-fake-agent --headless --no-auto-update --port 0     prints "CLI server listening on port N"
 *
 * COPILOT_CONNECTION_TOKEN makes it require `connect {token}`; `--script FILE` (or
 * COPILOT_RX_FAKE_AGENT_SCRIPT) chooses the turn scripts; the default reads markers in the prompts.
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * In the repository (the sources are there, and tsx to run them), run the sources, so a test never
 * meets a stale build; a published package has only dist/. tsx is a maintained loader that follows
 * the sources' own conventions (`./x.js` naming `x.ts`, `.cts` files) for CommonJS `require`.
 */
function loadMain() {
  const source = path.join(__dirname, '..', 'src', 'fakeAgent', 'cli', 'main.ts');
  if (fs.existsSync(source) && resolvable('tsx/cjs/api')) {
    require('tsx/cjs/api').register();
    return require(source);
  }
  return require(path.join(__dirname, '..', 'dist', 'cjs', 'fakeAgent', 'cli', 'main.js'));
}

function resolvable(name) {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false; // not installed: a published package, which runs dist/
  }
}

loadMain()
  .main(process.argv.slice(2), process.env)
  .catch((error) => {
    process.stderr.write(`copilot-rx-fake-agent: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  });
