// Cairn's Prometheus metrics (issue 18), one registry per server (tests run several in a process).
// Counters and histograms are fed by the runner's observer hooks; gauges that need the database
// (timer backlog, pending approvals, waiting runs, runs by state) are read at scrape time through
// gauges.ts. The README lists every metric.
import { Counter, Histogram, Registry } from 'prom-client';
import type { AttemptFinished, CheckpointCommitted } from '../engine/runner/observer.js';

const SECONDS = [0.005, 0.05, 0.25, 1, 5, 30, 60, 300, 1_800, 3_600, 21_600, 86_400];
const FINISHED: Record<string, string> = { runCompleted: 'completed', runFailed: 'failed', runCancelled: 'cancelled' };

export function createMetrics() {
  const registry = new Registry();
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter({ name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) => new Histogram({ name, help, labelNames, buckets, registers: [registry] });

  const m = {
    runsStarted: counter('cairn_runs_started_total', 'Runs started, by workflow and version.', ['workflow', 'version']),
    runsFinished: counter('cairn_runs_finished_total', 'Runs that ended, by workflow, version and status (completed, failed, cancelled).', ['workflow', 'version', 'status']),
    attempts: counter('cairn_step_attempts_total', 'Step attempts this process ran, by action and outcome (succeeded, failed).', ['action', 'outcome']),
    retries: counter('cairn_step_retries_total', 'Failed step attempts that scheduled another attempt, by action.', ['action']),
    timerLag: histogram('cairn_timer_lag_seconds', 'How late timers fired: picked up minus due, by purpose (wait, retry, timeout).', ['purpose'], SECONDS),
    scheduleToStart: histogram('cairn_schedule_to_start_seconds', 'From work being ready (a timer due, an inbox row posted) to a worker taking it up.', ['kind'], SECONDS),
    batchSize: histogram('cairn_checkpoint_batch_size', 'Checkpoints written per group-commit transaction.', [], [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_000]),
    commitSeconds: histogram('cairn_checkpoint_commit_seconds', 'Wall time of one group-commit transaction.', [], [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]),
    signals: counter('cairn_signals_received_total', 'Named signals delivered to runs, by workflow.', ['workflow']),
    aiCalls: counter('cairn_ai_calls_total', 'Model calls of AI nodes, by configured model and outcome (answered, failed).', ['model', 'outcome']),
    aiResults: counter('cairn_ai_node_results_total', 'AI node visits that ended, by how (ok, fallback). Fallback rate: fallback / all.', ['outcome']),
    historySize: histogram('cairn_run_history_events', 'History events per run, observed when the run ends.', [], [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000]),
  };

  let checkpoints = 0;
  return {
    registry,
    counters: m,
    /** Checkpoints committed so far (what the database gauges' cache is keyed on). */
    get checkpoints() {
      return checkpoints;
    },
    checkpointCommitted({ record, checkpoint, graph, pickedUp }: CheckpointCommitted): void {
      checkpoints++;
      const workflow = record.workflowSlug;
      const version = String(record.version);
      for (const work of pickedUp) {
        const seconds = Math.max(0, work.at - work.due) / 1_000;
        if (work.kind === 'timer') m.timerLag.observe({ purpose: work.purpose ?? 'wait' }, seconds);
        m.scheduleToStart.observe({ kind: work.kind }, seconds);
      }
      for (const entry of checkpoint.history) {
        const data = (entry.data ?? {}) as Record<string, unknown>;
        switch (entry.type) {
          case 'runStarted':
            m.runsStarted.inc({ workflow, version });
            break;
          case 'runCompleted':
          case 'runFailed':
          case 'runCancelled':
            m.runsFinished.inc({ workflow, version, status: FINISHED[entry.type] });
            m.historySize.observe(record.historyCount);
            break;
          case 'stepAttemptFailed':
            if (data.retryAt) m.retries.inc({ action: String(graph.nodes.get(entry.nodeId ?? '')?.config.action ?? 'unknown') });
            break;
          case 'signalReceived':
            m.signals.inc({ workflow });
            break;
          case 'aiAnswered':
          case 'aiAttemptFailed':
            m.aiCalls.inc({ model: String(data.model ?? 'unknown'), outcome: entry.type === 'aiAnswered' ? 'answered' : 'failed' });
            break;
          case 'nodeCompleted':
            if (graph.nodes.get(entry.nodeId ?? '')?.kind === 'ai') m.aiResults.inc({ outcome: String(data.port ?? 'ok') });
            break;
        }
      }
    },
    batchCommitted(size: number, latencyMs: number): void {
      m.batchSize.observe(size);
      m.commitSeconds.observe(latencyMs / 1_000);
    },
    attemptFinished({ effect, outcome }: AttemptFinished): void {
      if ('action' in effect) m.attempts.inc({ action: effect.action, outcome: outcome.ok ? 'succeeded' : 'failed' });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
