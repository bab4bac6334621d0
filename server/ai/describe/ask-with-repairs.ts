// One model conversation that must end in an answer the real checks accept: the answer is normalised
// (code fence, prose around it) and checked; every problem goes back to the model with its answer,
// for at most `maxRepairs` repair turns. A provider failure ends it at once.
import { checkAnswer } from '../../engine/core/kinds/ai-answer.js';
import type { ModelClient, ModelErrorCode } from '../model-client.js';

/** How much of an answer and of its problems a repair turn sends back. */
const MAX_REPAIR_ANSWER = 32 * 1024;
const MAX_REPAIR_PROBLEMS = 30;

export type Checked<T> = { ok: true; result: T } | { ok: false; problems: string[] };

export interface AskOptions<T> {
  models: ModelClient;
  model: string;
  system: string;
  prompt: string;
  outputSchema: Record<string, unknown>;
  check: (value: unknown) => Checked<T>;
  maxRepairs?: number;
  timeoutMs?: number;
}

interface Measured {
  attempts: number;
  repairs: number;
  latencyMs: number;
}

export type Asked<T> =
  | ({ ok: true; result: T } & Measured)
  | ({ ok: false; reason: 'provider'; code: ModelErrorCode; message: string } & Measured)
  | ({ ok: false; reason: 'invalid'; problems: string[]; raw: string } & Measured);

export async function askWithRepairs<T>(options: AskOptions<T>): Promise<Asked<T>> {
  const maxRepairs = options.maxRepairs ?? 3;
  const began = performance.now();
  let repair: { answer: string; errors: string[] } | undefined;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const measured = () => ({ attempts, repairs: attempts - 1, latencyMs: Math.round(performance.now() - began) });
    const answer = await options.models.complete({
      model: options.model,
      system: options.system,
      prompt: options.prompt,
      outputSchema: options.outputSchema,
      ...(repair && { repair }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 180_000),
    });
    if (!answer.ok) return { ok: false, reason: 'provider', code: answer.error.code, message: answer.error.message, ...measured() };
    const parsed = checkAnswer(answer.text, { type: 'object' });
    const checked: Checked<T> = parsed.ok ? options.check(parsed.value) : { ok: false, problems: parsed.errors };
    if (checked.ok) return { ok: true, result: checked.result, ...measured() };
    const problems = checked.problems.slice(0, MAX_REPAIR_PROBLEMS);
    if (checked.problems.length > MAX_REPAIR_PROBLEMS) problems.push(`… and ${checked.problems.length - MAX_REPAIR_PROBLEMS} more`);
    if (attempts > maxRepairs) return { ok: false, reason: 'invalid', problems, raw: answer.text.slice(0, 2_000), ...measured() };
    repair = { answer: answer.text.slice(0, MAX_REPAIR_ANSWER), errors: problems };
  }
}
