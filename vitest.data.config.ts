import { defineConfig } from 'vitest/config';

// Opt-in checks over the real repository snapshots in ../shared/data (or HORDE_SYNC_DATA).
// They are a separate suite, not skipped tests: `npm run test:data`.
export default defineConfig({
  test: {
    include: ['test/data/**/*.data.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
