import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The real-data checks are their own suite (`npm run test:data`, vitest.data.config.ts).
    exclude: [...configDefaults.exclude, 'test/data/**'],
    // End-to-end tests spawn the built CLI and real git processes; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
