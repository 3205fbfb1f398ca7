// A host application as its own Node process, for the specs about what happens to a spawned CLI when
// its host dies (not part of the package). It runs core's TypeScript sources through @swc/core (a dev
// dependency of the workspace), starts a client with the transport described by argv[2] (JSON:
// { kind: 'stdio' | 'tcp', cliPath, env?, cwd?, shutdownGraceMs? }), prints `READY <cli pid>` and
// then idles until it is killed. It installs no signal handler: SIGTERM takes Node's default path.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');

function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
}
require.extensions['.ts'] = compileTypeScript;
require.extensions['.cts'] = compileTypeScript;
// The sources import `./x.js` / `./x.cjs` (the names of their built output); here the `.ts` / `.cts`
// beside it is meant.
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveTypeScript(request, parent, ...rest) {
  try {
    return resolve.call(this, request, parent, ...rest);
  } catch (error) {
    if (!/^\.\.?\//.test(request) || !/\.c?js$/.test(request)) throw error;
    return resolve.call(this, request.replace(/\.(c?)js$/, '.$1ts'), parent, ...rest);
  }
};

const core = require(path.join(__dirname, '..', 'index.ts'));
const spec = JSON.parse(process.argv[2]);
const processOptions = { cliPath: spec.cliPath, env: spec.env, cwd: spec.cwd, shutdownGraceMs: spec.shutdownGraceMs };
const transport = spec.kind === 'tcp' ? core.spawnTcpTransport(processOptions) : core.stdioTransport(processOptions);
const client = new core.CopilotRxClient({ transport });
client.start().then(
  () => {
    process.stdout.write(`READY ${client.pid}\n`);
    setInterval(() => undefined, 60_000);
  },
  (error) => {
    process.stderr.write(`host: start failed: ${error.stack}\n`);
    process.exit(1);
  },
);
