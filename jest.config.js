// One jest run covers every package's specs, the operators' marble specs and the end-to-end tests
// against the real Copilot CLI. Specs import sibling packages by their public names; the mapper points
// those names at the sources, so no build is needed first. swc only strips types (fast); type checking
// is `npm run typecheck`, which `npm test` runs first.
const sources = {
  '^@copilot-rx/(core|operators|testing)$': '<rootDir>/packages/$1/src/index.ts',
};
const transform = {
  '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
const common = { moduleNameMapper: sources, transform, testEnvironment: 'node', rootDir: __dirname };

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/packages/*/src/**/*.spec.ts', '<rootDir>/marbles/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.spec.ts'],
    },
  ],
};
