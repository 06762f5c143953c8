import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Unit and HTTP tests: no browser, no nginx stack, no pacman, no ACME CA (`pnpm test:fast`). */
const FAST = [
  'packages/*/src/**/*.test.ts',
  'packages/web/test/*.test.ts',
  'packages/web/test/support/*.test.ts',
  'packages/cinectl/test/mongo-boundary.test.ts',
  'packages/cinectl/test/run-lock.test.ts',
];

/** Once per run for both projects: Node's compile cache, and the web package built with its dependencies. */
const RUN_SETUP = ['packages/cinectl/test/support/compile-cache.ts', 'packages/cinectl/test/support/build-packages.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most slow tests wait on other processes (nginx, certbot, workers, a browser): one more file than there are
    // cores keeps the cores busy.
    maxWorkers: availableParallelism() + 1,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: FAST,
          globalSetup: RUN_SETUP,
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: FAST,
          globalSetup: [...RUN_SETUP, 'packages/cinectl/test/support/assign-port-blocks.ts'],
        },
      },
    ],
  },
});
