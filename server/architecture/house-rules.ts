// The "nevers" of the house (DESIGN §1), checked over an import graph: which folder may import
// which, import circles, and the size of production files. The same functions run over the real
// tree and over a fixture tree that breaks each rule once (import-rules.test.ts).
import { NODE_GLOBALS, type ImportEdge, type ImportGraph, type SourceFileFacts } from './import-graph.js';

export interface Violation {
  file: string;
  line: number;
  rule: string;
  detail: string;
}

/** The one module of the server the web may name, and only for the router's type. */
export const ROUTER_MODULE = 'server/api/trpc/router.ts';
const ROUTER_TYPE = 'AppRouter';

// Libraries that compute and nothing else: what shared/ and the engine core may import.
const PURE_PACKAGES = new Set(['zod', 'jsonata', 'ajv', 'ajv-formats', 're2js', 'acorn']);
// Node built-ins the core may use, named export by export: a digest is a pure function.
const PURE_BUILTINS: Record<string, string[]> = { crypto: ['createHash'] };
// Packages that open sockets, files or databases: never in the browser's code.
const SERVER_PACKAGES = new Set(['fastify', 'better-sqlite3', 'pg', 'prisma', 'ws', 'undici', 'eventsource', 'ai', 'ipaddr.js', 'tsx']);
const SERVER_SCOPES = ['@fastify/', '@prisma/', '@ai-sdk/'];
const DATABASE_PACKAGES = new Set(['pg', 'better-sqlite3']);
const TEST_PACKAGES = new Set(['vitest', 'jsdom', 'playwright-core']);

/** Tests, test kits, browser specs and fixtures: they may cross seams to set the real parts up. */
export function isTestCode(file: string): boolean {
  const segments = file.split('/');
  const name = segments.at(-1)!;
  return /\.test\.tsx?$/.test(name) || name.startsWith('test-kit.') || segments.some((segment) => segment === 'testing' || segment === 'e2e' || segment === 'fixtures');
}

const within = (file: string, folder: string) => file.startsWith(`${folder}/`);
const WEB_RULE = 'web-reaches-server-only-through-router-type';

export function checkImportRules(graph: ImportGraph): Violation[] {
  const violations: Violation[] = [];
  for (const facts of graph.values()) {
    if (isTestCode(facts.path)) continue;
    for (const edge of facts.imports) {
      for (const [rule, detail] of rulesBroken(facts.path, edge)) violations.push({ file: facts.path, line: edge.line, rule, detail });
    }
    for (const use of facts.ambient) {
      if (within(facts.path, 'server/engine/core')) violations.push({ file: facts.path, line: use.line, rule: 'core-is-pure', detail: `reads ${use.name}` });
      else if (within(facts.path, 'web') && NODE_GLOBALS.has(use.name)) violations.push({ file: facts.path, line: use.line, rule: WEB_RULE, detail: `reads Node's ${use.name}` });
    }
  }
  return violations;
}

function rulesBroken(file: string, edge: ImportEdge): [rule: string, detail: string][] {
  const broken: [string, string][] = [];
  const named = `imports ${nameOf(edge)}`;
  const application = ['shared', 'server', 'web'].some((folder) => within(file, folder));
  if (application && edge.kind === 'package' && (TEST_PACKAGES.has(edge.target) || edge.target.startsWith('@testing-library/'))) broken.push(['no-test-code-in-production', named]);
  if (within(file, 'shared')) broken.push(...sharedRule(edge).map((detail): [string, string] => ['shared-knows-no-server-screen-or-database', detail]));
  if (within(file, 'web')) broken.push(...webRule(edge).map((detail): [string, string] => [WEB_RULE, detail]));
  if (within(file, 'server/engine') && engineReachesOut(edge)) broken.push(['engine-knows-no-transport-or-database', named]);
  if (within(file, 'server/engine/core') && !corePure(edge)) broken.push(['core-is-pure', named]);
  if (within(file, 'server') && !within(file, 'server/db') && edge.kind === 'package' && (DATABASE_PACKAGES.has(edge.target) || edge.target.startsWith('@prisma/'))) {
    broken.push(['only-db-talks-to-the-database', named]);
  }
  return broken;
}

function nameOf(edge: ImportEdge): string {
  if (edge.kind === 'file') return edge.target;
  if (edge.kind === 'builtin') return `node:${edge.target}${edge.names.length > 0 ? ` (${edge.names.join(', ')})` : ''}`;
  return edge.specifier;
}

function sharedRule(edge: ImportEdge): string[] {
  if (edge.kind === 'builtin') return [`imports Node's ${nameOf(edge)}`];
  if (edge.kind === 'package' && !PURE_PACKAGES.has(edge.target)) return [`imports ${edge.specifier} (not one of the pure libraries: ${[...PURE_PACKAGES].join(', ')})`];
  if (edge.kind === 'file' && !within(edge.target, 'shared')) return [`imports ${edge.target}`];
  return [];
}

function webRule(edge: ImportEdge): string[] {
  if (edge.kind === 'builtin') return [`imports Node's ${nameOf(edge)}`];
  if (edge.kind === 'package' && isServerPackage(edge)) return [`imports the server-side package ${edge.specifier}`];
  if (edge.kind !== 'file' || !within(edge.target, 'server')) return [];
  if (edge.target !== ROUTER_MODULE) return [`imports ${edge.target} (only the type ${ROUTER_TYPE} of ${ROUTER_MODULE} may cross)`];
  if (!edge.typeOnly || edge.names.some((name) => name !== ROUTER_TYPE)) return [`imports ${edge.names.join(', ') || 'values'} from ${ROUTER_MODULE} (only \`import type { ${ROUTER_TYPE} }\`)`];
  return [];
}

function isServerPackage(edge: ImportEdge): boolean {
  // tRPC's server package carries the router's type helpers and the client's `observable`.
  if (edge.target === '@trpc/server') return !edge.typeOnly && edge.specifier !== '@trpc/server/observable';
  return SERVER_PACKAGES.has(edge.target) || SERVER_SCOPES.some((scope) => edge.target.startsWith(scope));
}

function engineReachesOut(edge: ImportEdge): boolean {
  if (edge.kind === 'file') return ['server/api', 'server/db', 'server/services', 'server/cli'].some((folder) => within(edge.target, folder)) || edge.target === 'server/main.ts';
  // The engine's model calls go through an injected caller (server/ai), never a model SDK of its own.
  return edge.kind === 'package' && (isServerPackage(edge) || edge.target.startsWith('@trpc/'));
}

function corePure(edge: ImportEdge): boolean {
  if (edge.kind === 'file') return within(edge.target, 'server/engine/core') || within(edge.target, 'shared');
  if (edge.kind === 'package') return PURE_PACKAGES.has(edge.target);
  const allowed = PURE_BUILTINS[edge.target];
  return !!allowed && edge.names.length > 0 && edge.names.every((name) => allowed.includes(name));
}

/** Every import circle between files of the graph (type-only imports count: they are structure too). */
export function findCircles(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components, iterative so a deep chain cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const next = (file: string) => [...new Set(graph.get(file)!.imports.filter((edge) => edge.kind === 'file' && graph.has(edge.target)).map((edge) => edge.target))];
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const frames: { file: string; targets: string[]; at: number }[] = [];
    const enter = (file: string) => {
      index.set(file, index.size);
      low.set(file, index.get(file)!);
      stack.push(file);
      onStack.add(file);
      frames.push({ file, targets: next(file), at: 0 });
    };
    enter(start);
    while (frames.length > 0) {
      const frame = frames.at(-1)!;
      if (frame.at < frame.targets.length) {
        const target = frame.targets[frame.at++]!;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.file, Math.min(low.get(frame.file)!, index.get(target)!));
        continue;
      }
      frames.pop();
      const parent = frames.at(-1);
      if (parent) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(frame.file)!));
      if (low.get(frame.file) !== index.get(frame.file)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.file);
      if (component.length > 1 || next(frame.file).includes(frame.file)) circles.push(component.sort());
    }
  }
  return circles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Code the product runs: shared/, server/ and web/ minus tests, test kits and fixtures (bench/ and prisma/scripts are tools). */
export function isProduction(file: string): boolean {
  return ['shared', 'server', 'web'].some((folder) => within(file, folder)) && !isTestCode(file);
}

/** Production files longer than `limit` lines. */
export function findLongFiles(files: Iterable<Pick<SourceFileFacts, 'path' | 'lineCount'>>, limit: number): string[] {
  return [...files].filter((file) => isProduction(file.path) && file.lineCount > limit).map((file) => `${file.path}: ${file.lineCount} lines`).sort();
}

/**
 * Every file and package loaded with `entry`: its imports that stay at run time (not type-only),
 * followed through the tree's files, but not through `import()`, which loads when it runs.
 */
export function loadedWith(graph: ImportGraph, entry: string): Set<string> {
  const loaded = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const edge of graph.get(file)?.imports ?? []) {
      if (edge.typeOnly || edge.dynamic || loaded.has(edge.target)) continue;
      loaded.add(edge.target);
      if (edge.kind === 'file') queue.push(edge.target);
    }
  }
  return loaded;
}
