// The objects a step makes share V8's hidden classes (issue 21). A transition and a checkpoint built
// as `{ ...base, more }` each got a map of their own, so every read of them downstream was a slow,
// megamorphic lookup: 4–15 % of a step's CPU in paired runs of the users' steps scenario. A child process with
// --allow-natives-syntax asks V8 itself (%HaveSameMap) for objects made one after another.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('../testing/hidden-classes-child.ts', import.meta.url));

describe('hidden classes of what a step makes', () => {
  it('transitions, checkpoints, first states and new tokens share their maps', () => {
    const result = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', child], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    const seen = JSON.parse(result.stdout) as Record<string, { compared: number; differed: number }>;
    for (const kind of ['transition', 'checkpoint', 'first state', 'new token']) {
      expect(seen[kind]?.compared, `${kind}s compared`).toBeGreaterThan(30);
      expect(seen[kind], `${kind}s with a map of their own`).toEqual({ compared: seen[kind].compared, differed: 0 });
    }
  }, 90_000);
});
