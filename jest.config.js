// One jest run covers every package's specs, the operators' marble specs and the end-to-end tests
// against the real Copilot CLI. Specs import sibling packages by their public names; the mapper points
// those names at the sources, so no build is needed first. swc only strips types (fast); type checking
// is `npm run typecheck`, which `npm test` runs first.
const sources = {
  '^@copilot-rx/(core|operators|testing|fleet)$': '<rootDir>/packages/$1/src/index.ts',
  // The sources name the files their ES module build will load (`./x.js`, `./x.cjs`); jest runs the
  // TypeScript files those are built from.
  '^(\\.{1,2}/.*)\\.js$': '$1',
  '^(\\.{1,2}/.*)\\.cjs$': '$1.cts',
};
// Dependencies published only as ES modules: Node loads them with require(esm), jest's own module
// loader does not, so swc rewrites them to CommonJS like the sources.
const esmOnly = ['string-width', 'strip-ansi', 'ansi-regex', 'get-east-asian-width'];
const transform = {
  '^.+\\.c?tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  [`/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
const transformIgnorePatterns = [`/node_modules/(?!(${esmOnly.join('|')})/)`];
const common = { moduleNameMapper: sources, transform, transformIgnorePatterns, testEnvironment: 'node', rootDir: __dirname };

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/packages/*/src/**/*.spec.ts', '<rootDir>/apps/*/src/**/*.spec.ts', '<rootDir>/marbles/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.spec.ts'],
    },
  ],
};
