// Reads the import graph of a source tree with the TypeScript parser (not regular expressions):
// for every .ts/.tsx file, each module it names — static and dynamic imports, re-exports,
// `import('…')` types — resolved as the compiler resolves it to a file, a package or a Node
// built-in, whether only types cross, and the ambient I/O it reaches without importing anything.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  specifier: string;
  /** A file of the tree (repo-relative, '/'-separated), a package name, or a Node built-in. */
  kind: 'file' | 'package' | 'builtin';
  target: string;
  /** Erased at compile time: `import type`, `export type`, `import('…')` in a type, or only `type` names. */
  typeOnly: boolean;
  /** The names imported (empty for a namespace, side-effect or dynamic import). */
  names: string[];
  /** `import('…')` or `require('…')`: loaded when that code runs, not with the importing module. */
  dynamic?: boolean;
  line: number;
}

/** A global that reads the clock, chance or the outside world, used in expression position. */
export interface AmbientUse {
  name: string;
  line: number;
}

export interface SourceFileFacts {
  path: string;
  lineCount: number;
  imports: ImportEdge[];
  ambient: AmbientUse[];
}

export type ImportGraph = Map<string, SourceFileFacts>;

const SOURCE = /\.(ts|tsx)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'generated', 'fixtures']);
const RESOLUTION: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  resolveJsonModule: true,
  allowJs: false,
};
const NODE_BUILTINS = new Set(builtinModules);
/** Globals only Node has: the web must not count on them. */
export const NODE_GLOBALS = new Set(['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate']);
// Globals that read the clock or chance, or reach the network, the process, timers or the console
// (globalThis: any of them by another name).
const AMBIENT = new Set([...NODE_GLOBALS, 'fetch', 'performance', 'crypto', 'setTimeout', 'setInterval', 'console', 'XMLHttpRequest', 'WebSocket', 'globalThis']);

/** Every file under `folders` (relative to `root`) whose name matches, minus fixtures, generated code and declarations. */
export function listFiles(root: string, folders: string[], pattern = SOURCE): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(child);
      } else if (pattern.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        found.push(child);
      }
    }
  };
  for (const folder of folders) walk(folder);
  return found.sort();
}

export function readImportGraph(root: string, folders: string[]): ImportGraph {
  const cache = ts.createModuleResolutionCache(root, (name) => name, RESOLUTION);
  const graph: ImportGraph = new Map();
  for (const file of listFiles(root, folders)) graph.set(file, readFile(root, file, cache));
  return graph;
}

function readFile(root: string, file: string, cache: ts.ModuleResolutionCache): SourceFileFacts {
  const absolute = path.join(root, file);
  const text = readFileSync(absolute, 'utf8');
  const source = ts.createSourceFile(absolute, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const imports: ImportEdge[] = [];
  const ambient: AmbientUse[] = [];
  const declared = declaredNames(source);
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const add = (node: ts.Node, specifier: string, typeOnly: boolean, names: string[], dynamic = false) =>
    imports.push({ specifier, ...resolve(root, absolute, specifier, cache), typeOnly, names, line: lineOf(node), ...(dynamic ? { dynamic } : {}) });

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const names = [...(clause?.name ? ['default'] : []), ...(named ?? []).map((element) => (element.propertyName ?? element.name).text)];
      const onlyTypeNames = !!named && named.length > 0 && !clause?.name && named.every((element) => element.isTypeOnly);
      add(node, node.moduleSpecifier.text, !!clause && (clause.isTypeOnly || onlyTypeNames), names);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : [];
      const onlyTypeNames = named.length > 0 && named.every((element) => element.isTypeOnly);
      add(node, node.moduleSpecifier.text, node.isTypeOnly || onlyTypeNames, named.map((element) => (element.propertyName ?? element.name).text));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node, node.moduleReference.expression.text, node.isTypeOnly, []);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true, node.qualifier ? [firstName(node.qualifier)] : []);
    } else if (ts.isCallExpression(node) && isModuleCall(node)) {
      const argument = node.arguments[0];
      if (argument && ts.isStringLiteralLike(argument)) add(node, argument.text, false, [], true);
      else ambient.push({ name: 'import(<computed>)', line: lineOf(node) });
    }
    const use = ambientUse(node);
    if (use && !declared.has(use)) ambient.push({ name: use, line: lineOf(node) });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { path: file, lineCount: lineCount(text), imports, ambient };
}

/** Names the file declares itself (a local `fetch` is not the global one); scopes are not told apart. */
function declaredNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    const declaration = ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node) || ts.isBindingElement(node) || ts.isClassDeclaration(node);
    if (declaration && node.name && ts.isIdentifier(node.name)) names.add(node.name.text);
    if ((ts.isImportSpecifier(node) || ts.isImportClause(node) || ts.isNamespaceImport(node)) && node.name) names.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function isModuleCall(node: ts.CallExpression): boolean {
  return node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require');
}

function firstName(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : firstName(name.left);
}

/** `Date.now()`, `new Date()` / `Date()` with no argument, `Math.random()`, or an I/O global read as a value. */
function ambientUse(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const owner = node.expression.text;
    const member = node.name.text;
    if ((owner === 'Date' && member === 'now') || (owner === 'Math' && member === 'random')) return `${owner}.${member}`;
  }
  if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'Date') {
    if (!node.arguments || node.arguments.length === 0) return ts.isNewExpression(node) ? 'new Date()' : 'Date()';
  }
  if (ts.isIdentifier(node) && AMBIENT.has(node.text) && isValueReference(node)) return node.text;
  return undefined;
}

/** An identifier that names a global value here, not a property, a declaration or a type. */
function isValueReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent)) && parent.name === node) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isBindingElement(parent)) && parent.name === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent) || ts.isTypeQueryNode(parent)) return false;
  if (ts.isCallExpression(parent) && parent.expression === node && node.text === 'require') return false;
  if (ts.isJsxAttribute(parent) || ts.isLabeledStatement(parent)) return false;
  return true;
}

function resolve(root: string, from: string, specifier: string, cache: ts.ModuleResolutionCache): Pick<ImportEdge, 'kind' | 'target'> {
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]!)) return { kind: 'builtin', target: specifier.replace(/^node:/, '') };
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
    const parts = specifier.split('/');
    return { kind: 'package', target: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]! };
  }
  const resolved = ts.resolveModuleName(specifier, from, RESOLUTION, ts.sys, cache).resolvedModule?.resolvedFileName;
  // Stylesheets, images and files that do not exist keep the path they name, so a rule still sees where they point.
  const absolute = resolved ?? path.resolve(path.dirname(from), specifier);
  return { kind: 'file', target: path.relative(root, absolute).split(path.sep).join('/') };
}

export function lineCount(text: string): number {
  if (text.length === 0) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}
