// `cairn run` with a team's actions folder, as `cairn start` loads it: a project folder with Cairn
// installed and two TypeScript actions, a real `cairn run` process, real exit codes. A graph that
// uses the team's actions runs to its end; their declared inputs are checked before anything runs;
// a module that cannot load stops the command naming the file.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActionProject, type ActionProject } from '../testing/action-project.js';
import { lineOfSteps } from '../testing/graphs.js';
import { testDialect } from '../testing/test-database.js';

// Each test starts a real `cairn` process (tsx compiles on start-up): seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const cairn = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));

let project: ActionProject | undefined;
afterEach(() => {
  project?.close();
  project = undefined;
});

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cairn, ...args], { cwd: project!.dir, encoding: 'utf8', env: { ...process.env, CAIRN_ACTIONS_DIR: '', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** greet (team.greet) → sum (team.total) → end with both results. */
function writeOrdersGraph(input: Record<string, unknown> = { person: '{{ input.person }}' }): string {
  const graph = lineOfSteps([
    { id: 'greet', action: 'team.greet', input },
    { id: 'sum', action: 'team.total', input: { lines: '{{ input.lines }}' } },
  ]);
  const end = graph.nodes.find((node) => node.id === 'end')!;
  end.config = { output: '{{ { "greeting": nodes.greet.greeting, "total": nodes.sum.total } }}' };
  const file = path.join(project!.dir, 'orders.json');
  writeFileSync(file, JSON.stringify(graph));
  return 'orders.json';
}

const ORDER_INPUT = JSON.stringify({ person: 'Ada', lines: [{ price: 2.5, quantity: 4 }, { price: 1, quantity: 3 }] });

// `cairn run` uses a throw-away SQLite file whatever DATABASE_URL says: the SQLite pass only.
describe.runIf(testDialect() === 'sqlite')('cairn run with the team actions folder', () => {
  it('loads ./actions as cairn start does, and a graph using two team actions runs to its end', () => {
    project = createActionProject();
    const result = run(['run', writeOrdersGraph(), '--input', ORDER_INPUT]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('stepAttemptStarted greet#1 {"action":"team.greet"');
    expect(result.stdout).toContain('stepAttemptStarted sum#1 {"action":"team.total"');
    expect(result.stdout).toMatch(/status: completed\noutput: \{"greeting":"Hello, Ada! \(attempt 1\)","total":13\}\n$/);
  });

  it('reads CAIRN_ACTIONS_DIR when it names another folder', () => {
    project = createActionProject();
    const graph = writeOrdersGraph();
    const moved = path.join(project.dir, 'team-actions');
    spawnSync('mv', [project.actionsDir, moved]);
    expect(run(['run', graph, '--input', ORDER_INPUT]).stderr).toMatch(/\[UNKNOWN_ACTION\] node "greet" action: no action named "team.greet" is registered/);
    const result = run(['run', graph, '--input', ORDER_INPUT], { CAIRN_ACTIONS_DIR: moved });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/status: completed/);
  });

  it("checks each step's input against its team action's declared input before anything runs", () => {
    project = createActionProject();
    const result = run(['run', writeOrdersGraph({ person: '{{ input.person }}', loud: 'very' }), '--input', ORDER_INPUT]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\[ACTION_INPUT_INVALID\] node "greet" input\.loud: .*\(input of team\.greet\)/);
    expect(result.stdout).toBe('');
  });

  it.each([
    ['a module that does not compile', 'broken.ts', 'export default defineAction({ name: ', /action module actions\/broken\.ts failed to load/],
    ['a second action with a taken name', 'zz-again.ts', `import { defineAction, z } from 'cairn';\nexport default defineAction({ name: 'team.greet', description: 'again', input: z.object({}), run: () => 1 });\n`, /action module actions\/zz-again\.ts: an action named "team\.greet" is defined in actions\/greet\.ts too/],
    ['a module taking a built-in name', 'log.ts', `import { defineAction, z } from 'cairn';\nexport default defineAction({ name: 'log', description: 'mine', input: z.object({}), run: () => 1 });\n`, /action module actions\/log\.ts: "log" is the name of a built-in action/],
  ])('refuses to run with %s, naming the file (exit code 2, no stack)', (_what, file, source, message) => {
    project = createActionProject();
    project.write(file, source);
    const result = run(['run', writeOrdersGraph(), '--input', ORDER_INPUT]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('refuses a CAIRN_ACTIONS_DIR that does not exist, naming the variable', () => {
    project = createActionProject();
    const result = run(['run', writeOrdersGraph(), '--input', ORDER_INPUT], { CAIRN_ACTIONS_DIR: path.join(project.dir, 'nowhere') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the actions folder .*nowhere does not exist \(CAIRN_ACTIONS_DIR\)/);
  });
});
