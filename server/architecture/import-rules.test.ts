// The seams of DESIGN §1, read from the imports: each rule is shown to fire on a fixture tree that
// breaks it (fixtures/house), then held over the real tree — rules, circles, file sizes, and the
// TypeScript projects that give each side only the types it may see.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkImportRules, findCircles, findLongFiles, loadedWith, type Violation } from './house-rules.js';
import { lineCount, listFiles, readImportGraph, type ImportEdge, type ImportGraph, type SourceFileFacts } from './import-graph.js';
import { readProjects, type Project } from './projects.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/house', import.meta.url));
const FOLDERS = ['shared', 'server', 'web', 'bench', 'prisma'];
const MAX_LINES = 300;
const NOT_SOURCE = new Set(['node_modules', 'dist', 'data', 'test-results', 'bench-results']);
// No circle is known: every one found fails the test.
const KNOWN_CIRCLES: string[][] = [];

const shown = (violations: Violation[]) => violations.map((violation) => `${violation.file}:${violation.line} ${violation.rule}: ${violation.detail}`).sort();


describe('the rules fire on a fixture tree that breaks each of them', () => {
  const graph = readImportGraph(FIXTURE, ['shared', 'server', 'web']);

  it('finds every forbidden import and every read of the clock, chance or the world, and nothing allowed', () => {
    expect(shown(checkImportRules(graph))).toEqual([
      'server/engine/core/impure.ts:10 core-is-pure: reads Math.random',
      'server/engine/core/impure.ts:10 core-is-pure: reads process',
      'server/engine/core/impure.ts:2 core-is-pure: imports node:crypto (randomUUID)',
      'server/engine/core/impure.ts:3 core-is-pure: imports node:fs/promises (readFile)',
      'server/engine/core/impure.ts:4 core-is-pure: imports server/engine/engine.ts',
      'server/engine/core/impure.ts:7 core-is-pure: reads Date.now',
      'server/engine/core/impure.ts:8 core-is-pure: reads new Date()',
      'server/engine/core/impure.ts:9 core-is-pure: reads fetch',
      'server/engine/engine.ts:2 engine-knows-no-transport-or-database: imports server/api/trpc/router.ts',
      'server/engine/engine.ts:3 engine-knows-no-transport-or-database: imports server/db/database.ts',
      'server/services/reports.ts:2 only-db-talks-to-the-database: imports pg',
      "shared/leaky.ts:2 shared-knows-no-server-screen-or-database: imports Node's node:fs (readFileSync)",
      'shared/leaky.ts:3 shared-knows-no-server-screen-or-database: imports react (not one of the pure libraries: zod, jsonata, ajv, ajv-formats, re2js, acorn)',
      'shared/leaky.ts:4 shared-knows-no-server-screen-or-database: imports server/db/database.ts',
      'shared/leaky.ts:5 shared-knows-no-server-screen-or-database: imports web/canvas/Canvas.tsx',
      'web/editor/EditorPage.tsx:2 web-reaches-server-only-through-router-type: imports Node\'s node:fs (readFileSync)',
      'web/editor/EditorPage.tsx:3 web-reaches-server-only-through-router-type: imports the server-side package fastify',
      'web/editor/EditorPage.tsx:4 no-test-code-in-production: imports vitest',
      'web/editor/EditorPage.tsx:5 web-reaches-server-only-through-router-type: imports server/db/database.ts (only the type AppRouter of server/api/trpc/router.ts may cross)',
      'web/editor/EditorPage.tsx:6 web-reaches-server-only-through-router-type: imports appRouter, Session from server/api/trpc/router.ts (only `import type { AppRouter }`)',
      "web/editor/EditorPage.tsx:8 web-reaches-server-only-through-router-type: reads Node's process",
    ]);
  });

  it('finds each import circle once, type-only imports included', () => {
    expect(findCircles(graph)).toEqual([
      ['server/engine/engine.ts', 'server/engine/store.ts'],
      ['web/canvas/Canvas.tsx', 'web/canvas/grid.ts', 'web/canvas/layout.ts'],
    ]);
  });

  it('follows what a module loads with it, not what it loads when needed (import()) or only names as types', () => {
    const edge = (target: string, more: Partial<ImportEdge> = {}): ImportEdge => ({ specifier: target, kind: target.includes('/') ? 'file' : 'package', target, typeOnly: false, names: [], line: 1, ...more });
    const file = (path: string, imports: ImportEdge[]): [string, SourceFileFacts] => [path, { path, lineCount: 1, imports, ambient: [] }];
    const tree: ImportGraph = new Map([
      file('server/main.ts', [edge('server/db/open.ts'), edge('server/ai/call.ts', { dynamic: true }), edge('server/db/pg-types.ts', { typeOnly: true })]),
      file('server/db/open.ts', [edge('better-sqlite3'), edge('server/db/postgres.ts', { dynamic: true })]),
      file('server/ai/call.ts', [edge('ai')]),
      file('server/db/postgres.ts', [edge('pg')]),
      file('server/db/pg-types.ts', [edge('pg')]),
    ]);
    expect([...loadedWith(tree, 'server/main.ts')].sort()).toEqual(['better-sqlite3', 'server/db/open.ts', 'server/main.ts']);
  });

  it('counts production files only against the size limit', () => {
    const files = [
      { path: 'server/engine/runner/worker.ts', lineCount: 301 },
      { path: 'server/engine/runner/start-run.ts', lineCount: 300 },
      { path: 'web/styles/app.css', lineCount: 1104 },
      { path: 'server/engine/saga.test.ts', lineCount: 900 },
      { path: 'web/editor/inspector/test-kit.tsx', lineCount: 400 },
      { path: 'web/e2e/browser.ts', lineCount: 400 },
      { path: 'server/testing/harness.ts', lineCount: 400 },
      { path: 'bench/editor.ts', lineCount: 333 },
    ];
    expect(findLongFiles(files, MAX_LINES)).toEqual(['server/engine/runner/worker.ts: 301 lines', 'web/styles/app.css: 1104 lines']);
  });
});

describe('the real tree', () => {
  let real: ImportGraph;
  const realGraph = () => real;
  // Parsing every file takes seconds (more on a loaded machine): once, with room to spare.
  beforeAll(() => {
    real = readImportGraph(ROOT, FOLDERS);
  }, 120_000);

  it('breaks no rule', () => {
    expect(shown(checkImportRules(realGraph()))).toEqual([]);
  });

  it('has no import circle (a depth-first search for strongly connected files over every import, type-only included)', () => {
    const known = (circle: string[]) => KNOWN_CIRCLES.some((entry) => entry.join() === circle.join());
    expect(findCircles(realGraph()).filter((circle) => !known(circle))).toEqual([]);
  });

  // What only some deployments use is imported where it is used: a SQLite server does not carry the
  // PostgreSQL driver and client (about 15 MB of memory), nor one without a model or a trace
  // receiver the AI SDK or OpenTelemetry's exporter.
  it('loads the PostgreSQL driver, the AI SDK and the trace exporter only when they are used', () => {
    const optional = /^(pg|@prisma\/adapter-pg|ai|@ai-sdk\/.*|@opentelemetry\/(sdk-trace-base|exporter-trace-otlp-http|resources)|server\/db\/generated\/postgresql\/.*)$/;
    for (const entry of ['server/cli/main.ts', 'server/engine-parts.ts']) {
      expect([...loadedWith(realGraph(), entry)].filter((target) => optional.test(target)), entry).toEqual([]);
    }
  });

  it(`has no production file over ${MAX_LINES} lines, TypeScript and CSS`, () => {
    const stylesheets = listFiles(ROOT, FOLDERS, /\.css$/).map((file) => ({ path: file, lineCount: lineCount(readFileSync(path.join(ROOT, file), 'utf8')) }));
    expect(findLongFiles([...realGraph().values(), ...stylesheets], MAX_LINES)).toEqual([]);
  });
});

describe('the TypeScript projects', () => {
  let projects: Project[];
  let sources: string[];
  const project = (config: string) => projects.find((candidate) => candidate.config === config)!;
  // The projects' files and the tree's, read at one moment.
  beforeAll(() => {
    projects = readProjects(ROOT);
    // Every folder of the tree, so that a new one (client/, actions/…) cannot escape type checking.
    const entries = readdirSync(ROOT, { withFileTypes: true });
    const folders = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !NOT_SOURCE.has(entry.name)).map((entry) => entry.name);
    sources = [...listFiles(ROOT, folders), ...entries.filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name)).map((entry) => entry.name)];
  }, 60_000);

  it('check every source file, each in exactly one project', () => {
    const owners = new Map<string, string[]>();
    for (const { config, files } of projects) for (const file of files) owners.set(file, [...(owners.get(file) ?? []), config]);
    expect(sources.filter((file) => owners.get(file)?.length !== 1).map((file) => `${file}: ${owners.get(file)?.join(', ') ?? 'in no project'}`)).toEqual([]);
  });

  it('give shared/ the language only, the server Node without the DOM, the web the DOM and no Node of its own', () => {
    expect(project('shared/tsconfig.json')).toMatchObject({ lib: ['es2023'], types: [] });
    expect(project('server/tsconfig.json').lib).not.toContain('dom');
    expect(project('server/tsconfig.json').types).toEqual(['node']);
    expect(project('web/tsconfig.json').lib).toContain('dom');
    expect(project('web/tsconfig.json').types).toEqual(['vite/client']);
    expect(project('shared/tsconfig.json').files.filter((file) => !file.startsWith('shared/'))).toEqual([]);
    expect(project('web/tsconfig.json').files.filter((file) => !file.startsWith('web/'))).toEqual([]);
  });
});
