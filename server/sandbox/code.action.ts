// The built-in `code` action (DESIGN §6): runs a JavaScript function `(input, ctx) => …` (or its body)
// in the QuickJS sandbox within the code budget. Its console lines go to ctx.log, which the action
// runner records in the run's history; its result must be JSON within the node-output limit.
import { z } from 'zod';
import { compileCode, MAX_CODE_CHARS } from '../../shared/code-source.js';
import { NonRetryableError } from '../engine/errors.js';
import { defineAction } from '../actions/registry.js';
import { codeSandbox } from './code-sandbox.js';

const DESCRIPTION = 'A function (input, ctx) => … (async allowed) or its body, ending in return. No network, files or environment.';

export const codeAction = defineAction({
  name: 'code',
  title: 'Run JavaScript',
  description: 'Runs a JavaScript function in a sandbox (no network, files or environment) and returns its result, which must be JSON.',
  input: z.object({
    code: z.string().min(1).max(MAX_CODE_CHARS).meta({ title: 'Code', description: DESCRIPTION, contentMediaType: 'text/javascript' }),
    input: z.unknown().optional().meta({ title: 'Input', description: 'What the function receives as input, usually {{ input }} or {{ nodes.<id> }}' }),
  }),
  async run({ code, input }, ctx) {
    const compiled = compileCode(code);
    if (!compiled.ok) {
      const { message, line, column } = compiled.error;
      throw new NonRetryableError(`the code does not parse: ${message} (line ${line}, column ${column})`, { code: 'CODE_SYNTAX' });
    }
    const outcome = await codeSandbox().run({
      program: compiled.program,
      lineOffset: compiled.lineOffset,
      input: input ?? null,
      context: { idempotencyKey: ctx.idempotencyKey, attempt: ctx.attempt },
      signal: ctx.signal,
    });
    for (const { level, message } of outcome.logs) ctx.log(message, level === 'log' ? 'info' : level);
    if (!outcome.ok) throw new NonRetryableError(outcome.message, { code: outcome.code });
    return JSON.parse(outcome.json) as unknown;
  },
});
