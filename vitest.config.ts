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

const COMPILE_CACHE = 'packages/cinectl/test/support/compile-cache.ts';

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
          globalSetup: [COMPILE_CACHE, 'packages/web/test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: FAST,
          globalSetup: [COMPILE_CACHE, 'packages/cinectl/test/support/global-setup.ts'],
        },
      },
    ],
  },
});
