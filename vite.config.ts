// Vite builds the web app into dist/web; Vitest (same file) runs every *.test.ts(x) in the tree.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: '../dist/web', emptyOutDir: true },
  test: {
    root: '.',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['server/testing/global-setup.ts'],
    // One suite, two databases: the engine and server tests run again with CAIRN_TEST_DATABASE
    // set, and their harnesses open PostgreSQL instead of SQLite (server/testing/).
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'web/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'prisma/**/*.test.ts'],
          exclude: ['server/db/postgres/**', 'server/scale-out/**', '**/node_modules/**'],
          env: { CAIRN_TEST_DATABASE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgresql',
          include: [
            'server/engine/**/*.test.ts',
            'server/api/**/*.test.ts',
            'server/seed/**/*.test.ts',
            'server/cli/**/*.test.ts',
            'server/db/postgres/**/*.test.ts',
            'server/db/prisma-reads-engine.test.ts',
          ],
          env: { CAIRN_TEST_DATABASE: 'postgresql' },
        },
      },
      {
        // Many processes on one PostgreSQL database, timed: `npm test` runs these after the
        // others, one file at a time, so that the latency they measure is not other tests' load.
        extends: true,
        test: {
          name: 'scale-out',
          include: ['server/scale-out/**/*.test.ts'],
          env: { CAIRN_TEST_DATABASE: 'postgresql' },
          fileParallelism: false,
        },
      },
    ],
  },
});
