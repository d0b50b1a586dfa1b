const { SourceTextModule } = require('node:vm');

// The Nest 12 packages (and file-type) are ESM-only, and our CommonJS-compiled code requires
// them. Jest 30 can require ES modules itself where Node's vm links and evaluates them
// synchronously: Node 24.9+ started with --experimental-vm-modules (the flag the test matrix
// passes there), the same check Jest makes. Elsewhere (Node 20) Jest cannot, so swc
// transforms node_modules to CommonJS as well; drop that when Node 20 is no longer supported.
const jestRequiresEsm = typeof SourceTextModule?.prototype.hasAsyncGraph === 'function';

// Jest runs TypeScript through swc.
/** @type {import('jest').Config['transform']} */
const transform = {
  '^.+\\.(t|j|mj|cj)s$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const base = {
  rootDir: __dirname,
  // Node's environment, on this worker's own database, queue prefix and storage folder.
  testEnvironment: '<rootDir>/test/support/worker-environment.ts',
  transform,
  transformIgnorePatterns: jestRequiresEsm ? ['/node_modules/'] : [],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: { '^@depot/([a-z-]+)$': '<rootDir>/libs/$1/src' },
};

/** @type {import('jest').Config} */
module.exports = {
  // One database, queue prefix and storage folder per run, so two runs never collide.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Jest's default (half the cores: one worker, in band, on two) leaves the machine idle while
  // a file waits on its app processes: the whole postgres leg takes about 380 CPU-seconds,
  // apps included, against 570 s of wall time in band. Two workers keep two cores busy; each
  // has a database, queue prefix and storage folder of its own (test/support/worker-environment.ts).
  // Not more, whatever the cores: every file's apps hold pools and LISTEN connections, and
  // three workers at once reached PostgreSQL's default 100 connections ("too many clients").
  // `--maxWorkers` overrides it.
  maxWorkers: 2,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
      slowTestThreshold: 30,
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
      slowTestThreshold: 60,
    },
  ],
};
