// The TypeScript projects `tsc -b` builds (tsconfig.json's references, followed) with the files
// each checks and the libraries and global types it sees, read with the compiler's own parser.
import path from 'node:path';
import ts from 'typescript';

export interface Project {
  /** The config file, relative to the root. */
  config: string;
  /** Libraries by name, as in tsconfig ("es2023", "dom"…). */
  lib: string[];
  types: string[];
  /** Files the project checks, relative to the root. */
  files: string[];
}

export function readProjects(root: string): Project[] {
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  };
  const projects = new Map<string, Project>();
  const visit = (config: string): void => {
    if (projects.has(config)) return;
    const parsed = ts.getParsedCommandLineOfConfigFile(config, undefined, host);
    if (!parsed) throw new Error(`${relative(config)} cannot be read`);
    const errors = parsed.errors.filter((error) => error.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) throw new Error(`${relative(config)}: ${errors.map((error) => ts.flattenDiagnosticMessageText(error.messageText, ' ')).join('; ')}`);
    projects.set(config, {
      config: relative(config),
      lib: (parsed.options.lib ?? []).map((file) => file.replace(/^lib\./, '').replace(/\.d\.ts$/, '')),
      types: parsed.options.types ?? [],
      files: parsed.fileNames.map(relative),
    });
    for (const reference of parsed.projectReferences ?? []) visit(ts.resolveProjectReferencePath(reference));
  };
  visit(path.join(root, 'tsconfig.json'));
  return [...projects.values()];
}
