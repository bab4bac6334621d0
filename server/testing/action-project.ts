// A team's project folder for tests: Cairn installed as a dependency (node_modules/cairn links to
// this checkout, as `npm install` of a folder would), and an actions folder with two TypeScript
// actions that import from 'cairn' — one with a zod input, one with a JSON Schema input.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchRoot } from './sqlite-template.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Greets a person: a zod input with titles, a default export. */
export const GREET_MODULE = `import { defineAction, z } from 'cairn';

export default defineAction({
  name: 'team.greet',
  title: 'Greet someone',
  description: 'Says hello to a person, loudly if asked.',
  input: z.object({
    person: z.string().min(1).meta({ title: 'Person', description: 'Who to greet' }),
    loud: z.boolean().default(false).meta({ title: 'Loud', description: 'Upper-case the greeting' }),
  }),
  output: z.object({ greeting: z.string() }),
  run({ person, loud }, ctx) {
    const greeting = \`Hello, \${person}! (attempt \${ctx.attempt})\`;
    return { greeting: loud ? greeting.toUpperCase() : greeting };
  },
});
`;

/** A JSON Schema input, a named export. */
export const TOTAL_MODULE = `import { defineAction } from 'cairn';

interface Line { price: number; quantity: number }

export const total = defineAction({
  name: 'team.total',
  title: 'Order total',
  description: 'Adds up price × quantity over the lines of an order.',
  input: {
    type: 'object',
    required: ['lines'],
    properties: {
      lines: {
        type: 'array',
        title: 'Lines',
        description: 'The order lines',
        items: { type: 'object', required: ['price', 'quantity'], properties: { price: { type: 'number' }, quantity: { type: 'integer', minimum: 1 } } },
      },
      currency: { type: 'string', title: 'Currency', enum: ['EUR', 'USD'], default: 'EUR' },
    },
  },
  run(input) {
    const lines = input.lines as Line[];
    return { total: lines.reduce((sum, line) => sum + line.price * line.quantity, 0), currency: input.currency ?? 'EUR' };
  },
});
`;

export interface ActionProject {
  /** The project folder (the working directory of a `cairn` it runs). */
  dir: string;
  /** Its actions folder, `<dir>/actions`. */
  actionsDir: string;
  /** Write (or overwrite) a module in the actions folder. */
  write(file: string, source: string): string;
  remove(file: string): void;
  close(): void;
}

export function createActionProject(modules: Record<string, string> = { 'greet.ts': GREET_MODULE, 'total.ts': TOTAL_MODULE }): ActionProject {
  const dir = mkdtempSync(path.join(scratchRoot(), 'cairn-project-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(root, path.join(dir, 'node_modules', 'cairn'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'team-project', private: true, type: 'module', dependencies: { cairn: `file:${root}` } }));
  const actionsDir = path.join(dir, 'actions');
  mkdirSync(actionsDir);
  const write = (file: string, source: string) => {
    const full = path.join(actionsDir, file);
    writeFileSync(full, source);
    return full;
  };
  for (const [file, source] of Object.entries(modules)) write(file, source);
  return {
    dir,
    actionsDir,
    write,
    remove: (file) => rmSync(path.join(actionsDir, file)),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
