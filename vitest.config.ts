import { defineConfig } from 'vitest/config';

// Three projects:
// - unit: pure tests, parallel;
// - int: tests on real sshd, podman and namespaces, one file at a time (they share this machine's
//   loopback addresses and kernel namespaces);
// unit runs first, int after it (sequence.groupOrder): the unit tests that unshare, build rpms or run as
// root would otherwise compete on a 2-core machine with the int tests' SSH timing and timeouts;
// - checks: the grading specs themselves (checks/dayN.spec.ts), run by `labgrade grade` or by
//   `LABGRADE_ROSTER=roster.yaml npx vitest run checks/day1.spec.ts`.
// Each check spec grades all its nodes concurrently in one beforeAll (bounded by --concurrency),
// so test-level concurrency is not needed; spec files (days) may run in parallel.
// Sharding: `labgrade grade --shard i/n` grades a slice of the roster; its project is named after the
// shard so that Vitest's blob reports of the slices stay apart when `labgrade merge` replays them
// (Vitest keys merged modules by file and project).
function checksProjects(): string[] {
  const shard = process.env.LABGRADE_SHARD;
  if (shard) return [`checks-shard-${shard.replace('/', '-of-')}`];
  const merging = Number(process.env.LABGRADE_MERGE_SHARDS ?? 0);
  if (merging > 0) return Array.from({ length: merging }, (_, i) => `checks-shard-${i + 1}-of-${merging}`);
  return ['checks'];
}

// The tests' simulated classes use a lab network slot of their own (src/lab/paths.ts labSlot: 127.81.x.y and
// lg1-* namespaces by default), so a developer's class on slot 0 is never touched; set LABGRADE_LAB_SLOT to run
// two test runs side by side.
const testEnv = { LABGRADE_LAB_SLOT: process.env.LABGRADE_LAB_SLOT ?? '1' };

export default defineConfig({
  test: {
    reporters: ['default', './src/report/vitest-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          env: testEnv,
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'int',
          env: testEnv,
          sequence: { groupOrder: 1 },
          include: ['test/**/*.int.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 900_000,
        },
      },
      ...checksProjects().map((name) => ({
        test: {
          name,
          include: ['checks/*.spec.ts'],
          pool: 'threads' as const,
          isolate: false,
          testTimeout: 5_000,
          // grading every node happens in one beforeAll; its own timeouts bound it
          hookTimeout: 3_600_000,
        },
      })),
    ],
  },
});
