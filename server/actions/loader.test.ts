// The actions folder: TypeScript modules that import from 'cairn' in a project with Cairn installed,
// registered with their file and hash; every way a module can be wrong stops loading, naming the file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createActionProject, GREET_MODULE, TOTAL_MODULE, type ActionProject } from '../testing/action-project.js';
import { ActionLoadError, loadActions } from './loader.js';
import { createActionRegistry, loadTeamActions } from './team-actions.js';

let project: ActionProject | undefined;
afterEach(() => {
  project?.close();
  project = undefined;
});

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('loadActions', () => {
  it('loads default and named exports of TypeScript modules, with file and hash, into a registry that runs them', async () => {
    project = createActionProject();
    const loaded = await loadActions(project.actionsDir);
    expect(loaded.map(({ definition, module }) => [definition.name, module.file])).toEqual([
      ['team.greet', 'greet.ts'],
      ['team.total', 'total.ts'],
    ]);
    expect(loaded[0].module.hash).toBe(sha256(path.join(project.actionsDir, 'greet.ts')));

    const registry = createActionRegistry({ team: loaded });
    expect(registry.names()).toEqual(expect.arrayContaining(['transform', 'http.request', 'log', 'team.greet', 'team.total']));
    const greet = registry.describe().find((action) => action.name === 'team.greet')!;
    expect(greet).toMatchObject({ title: 'Greet someone', module: { file: 'greet.ts' } });
    expect(greet.inputSchema).toMatchObject({ required: ['person'], properties: { person: { title: 'Person', description: 'Who to greet' }, loud: { default: false } } });
    // A JSON Schema input is described as written, and validates every attempt's input.
    const total = registry.get('team.total')!;
    expect(registry.describe().find((action) => action.name === 'team.total')!.inputSchema).toMatchObject({ properties: { currency: { enum: ['EUR', 'USD'] } } });
    expect(total.input.safeParse({ lines: [{ price: 2, quantity: 3 }] }).success).toBe(true);
    const refused = total.input.safeParse({ lines: [{ price: 2, quantity: 0 }] });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0].message).toBe('lines.0.quantity must be >= 1');
    expect(await total.run({ lines: [{ price: 2.5, quantity: 2 }] }, {} as never)).toEqual({ total: 5, currency: 'EUR' });
    expect(registry.get('transform')!.module).toBeUndefined();
  });

  it('a module changed on disk is loaded afresh, with its new hash', async () => {
    project = createActionProject({ 'greet.ts': GREET_MODULE });
    const before = await loadActions(project.actionsDir);
    project.write('greet.ts', GREET_MODULE.replace("title: 'Greet someone'", "title: 'Say hello'"));
    const after = await loadActions(project.actionsDir);
    expect(after[0].definition.title).toBe('Say hello');
    expect(after[0].module.hash).not.toBe(before[0].module.hash);
  });

  it('skips tests, declarations, helpers (_name) and sub-folders; a missing default folder holds no actions', async () => {
    project = createActionProject({ 'greet.ts': GREET_MODULE, 'greet.test.ts': 'throw new Error("not an action")', 'types.d.ts': 'export {}', '_helper.ts': 'throw new Error("helper")', 'notes.md': '# not code' });
    expect((await loadActions(project.actionsDir)).map((action) => action.definition.name)).toEqual(['team.greet']);
    expect(await loadActions(path.join(project.dir, 'nothing-here'))).toEqual([]);
    expect(await loadTeamActions({ CAIRN_ACTIONS_DIR: undefined })).toEqual(expect.any(Array));
  });

  const broken: [string, Record<string, string>, RegExp][] = [
    ['a syntax error', { 'bad.ts': 'export default defineAction({ name: ' }, /action module .*bad\.ts failed to load: /],
    ['a module that throws as it loads', { 'boom.ts': 'throw new Error("no API key in the environment");' }, /boom\.ts failed to load: no API key in the environment$/],
    ['an import that does not resolve', { 'dep.ts': "import 'left-pad-that-is-not-installed';" }, /dep\.ts failed to load: .*left-pad-that-is-not-installed/],
    ['no action exported', { 'empty.ts': 'export const answer = 42;' }, /empty\.ts exports no action/],
    ['a default export that is no action', { 'plain.ts': 'export default { name: "plain", run() {} };' }, /plain\.ts: the default export is not an action/],
    ['a bad name', { 'name.ts': "import { defineAction, z } from 'cairn';\nexport default defineAction({ name: 'has space', description: 'd', input: z.object({}), run: () => 1 });" }, /name\.ts: an action's name must be .* not "has space"/],
    ['no description', { 'desc.ts': "import { defineAction, z } from 'cairn';\nexport default defineAction({ name: 'x', description: '', input: z.object({}), run: () => 1 } as never);" }, /desc\.ts: action "x": description must be text/],
    ['no run', { 'run.ts': "import { defineAction, z } from 'cairn';\nexport default defineAction({ name: 'x', description: 'd', input: z.object({}) } as never);" }, /run\.ts: action "x": run must be a function/],
    ['an input that is not an object', { 'input.ts': "import { defineAction, z } from 'cairn';\nexport default defineAction({ name: 'x', description: 'd', input: z.string(), run: () => 1 });" }, /input\.ts: action "x": its input must describe an object/],
    ['a JSON Schema that does not compile', { 'schema.ts': "import { defineAction } from 'cairn';\nexport default defineAction({ name: 'x', description: 'd', input: { type: 'object', properties: { a: { type: 'nonsense' } } }, run: () => 1 });" }, /schema\.ts: action "x": its input schema does not compile/],
    ['the name of a built-in', { 'log.ts': "import { defineAction, z } from 'cairn';\nexport default defineAction({ name: 'log', description: 'd', input: z.object({}), run: () => 1 });" }, /log\.ts: "log" is the name of a built-in action/],
    ['one name in two modules', { 'a.ts': GREET_MODULE, 'b.ts': GREET_MODULE }, /b\.ts: an action named "team\.greet" is defined in .*a\.ts too/],
  ];
  it.each(broken)('%s stops loading with the file named', async (_what, modules, message) => {
    project = createActionProject(modules);
    const error = await loadTeamActions({ CAIRN_ACTIONS_DIR: project.actionsDir }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ActionLoadError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('an explicit CAIRN_ACTIONS_DIR that does not exist, or is a file, is an error naming it', async () => {
    project = createActionProject({ 'total.ts': TOTAL_MODULE });
    await expect(loadTeamActions({ CAIRN_ACTIONS_DIR: path.join(project.dir, 'missing') })).rejects.toThrow(/the actions folder .*missing does not exist \(CAIRN_ACTIONS_DIR\)/);
    await expect(loadTeamActions({ CAIRN_ACTIONS_DIR: path.join(project.actionsDir, 'total.ts') })).rejects.toThrow(/is not a folder/);
  });
});
