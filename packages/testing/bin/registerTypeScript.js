'use strict';
/**
 * Lets Node require the package's TypeScript sources, for running the bin inside the repository
 * without a build: each .ts file is stripped of its types by @swc/core (a dev dependency of the
 * workspace, as jest uses it). Published packages run dist/ and never load this.
 */
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = require('node:fs').readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
