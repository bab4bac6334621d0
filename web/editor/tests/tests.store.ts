// What the Tests panel shows on the canvas, shared by the panel and the canvas overlay: the path of the
// scenario picked, the coverage overlay, and the last "run to here" with the graph it ran on.
import { createStore } from 'zustand/vanilla';
import type { Graph } from '../../../shared/graph/graph.schema.js';

export interface ScenarioOutcome {
  name: string;
  passed: boolean;
  failures: string[];
  status: string | null;
  path: string[];
}

export interface SuiteOutcome {
  passed: number;
  failed: number;
  results: ScenarioOutcome[];
  coverage: { nodes: { reached: number; total: number; missed: string[] }; edges: { reached: number; total: number; missed: string[] } } | null;
}

export interface NodeRun {
  input: unknown;
  output?: unknown;
  port?: string;
  state: 'done' | 'waiting' | 'failed';
}

export interface TrialOutcome {
  untilNode: string;
  /** The graph it ran on: edits since make later results stale. */
  graph: Graph;
  reached: boolean;
  status: string;
  path: string[];
  nodes: Record<string, NodeRun>;
  notes: string[];
  error: string | null;
}

export interface TestsState {
  suite: SuiteOutcome | null;
  /** The scenario whose path is painted. */
  shown: string | null;
  coverage: boolean;
  trial: TrialOutcome | null;
  setSuite(suite: SuiteOutcome | null): void;
  show(name: string | null): void;
  showCoverage(on: boolean): void;
  setTrial(trial: TrialOutcome | null): void;
}

export function createTestsStore() {
  return createStore<TestsState>((set) => ({
    suite: null,
    shown: null,
    coverage: false,
    trial: null,
    setSuite: (suite) => set({ suite, shown: suite?.results.find((result) => !result.passed)?.name ?? suite?.results[0]?.name ?? null }),
    show: (shown) => set({ shown }),
    showCoverage: (coverage) => set({ coverage }),
    setTrial: (trial) => set({ trial }),
  }));
}

export type TestsStore = ReturnType<typeof createTestsStore>;
