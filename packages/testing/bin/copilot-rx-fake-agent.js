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
const path = require('node:path');

function loadMain() {
  const built = path.join(__dirname, '..', 'dist', 'fakeAgent', 'cli', 'main.js');
  try {
    return require(built);
  } catch (error) {
    if (!(error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(built))) throw error;
  }
  // Inside the repository before a build: run the TypeScript sources through swc.
  require('./registerTypeScript.js');
  return require(path.join(__dirname, '..', 'src', 'fakeAgent', 'cli', 'main.ts'));
}

loadMain()
  .main(process.argv.slice(2), process.env)
  .catch((error) => {
    process.stderr.write(`copilot-rx-fake-agent: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  });
