// What a run of eval sets reports: per node its score and per case its checks, the answer (which a
// scenario's `ai` step can replay) and what the model call cost in attempts, repairs and time.

export interface EvalCheck {
  check: 'answer' | 'fields' | 'assert' | 'schema';
  passed: boolean;
  /** Why it failed, naming the field or the assertion. */
  message?: string;
}

export interface EvalCaseResult {
  name: string;
  /** Checks passed / checks made, 0 to 1; a case whose model gave no usable answer scores 0. */
  score: number;
  passed: boolean;
  checks: EvalCheck[];
  /** The validated answer, when there was one. */
  answer?: unknown;
  /** Replays this answer in a scenario (cairn.scenario/v1 `ai` step). */
  replay?: { ai: string; answer: unknown };
  /** The configured model name that answered (or failed last). */
  model?: string;
  attempts: number;
  repairs: number;
  latencyMs: number;
  tokens?: { input?: number; output?: number };
}

export interface EvalNodeReport {
  node: string;
  score: number;
  threshold?: number;
  /** False when the score is below the threshold. */
  passed: boolean;
  cases: EvalCaseResult[];
}

export interface EvalReport {
  /** The mean of the node scores (1 with no sets). */
  score: number;
  nodes: EvalNodeReport[];
  /** Sets that could not run (their node is gone or is no `ai` node). */
  problems: string[];
}

/** A stored run's headline: the score per version the editor and `cairn eval` compare. */
export interface EvalRunSummary {
  id: string;
  /** Null: the draft. */
  version: number | null;
  score: number;
  nodes: { node: string; score: number }[];
  origin: string;
  ranBy: string | null;
  ranAt: string;
}

/** Rounds a score for display and storage: three decimals. */
export const roundScore = (score: number) => Math.round(score * 1000) / 1000;
