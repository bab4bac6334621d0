// Run by hidden-classes.test.ts with --allow-natives-syntax: steps runs through the real core and
// checkpoint draft, and reports how many of the objects each step makes share V8's hidden class
// (map) with the one made before them. Objects built by spreading into a literal with more fields
// got a map of their own each, which made every later read of them a slow, megamorphic lookup.
import { LIMITS } from '../../shared/limits.js';
import { indexGraph } from '../engine/core/graph-index.js';
import { transition } from '../engine/core/interpreter.js';
import type { RunEvent, Transition } from '../engine/core/types.js';
import { FakeClock } from '../engine/clock.js';
import { admittedRecord, firstCheckpoint } from '../engine/runner/admission.js';
import { CheckpointDraft } from '../engine/runner/checkpoint-draft.js';
import type { Checkpoint, InstanceRecord, VersionRecord } from '../engine/store.js';
import { lineOfSteps } from './graphs.js';

// V8's own test helper, compiled only under --allow-natives-syntax (a syntax error otherwise).
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const RUNS = 40;
const STEPS = 5;
const definition = lineOfSteps(Array.from({ length: STEPS }, (_, index) => ({ id: `s${index + 1}`, action: 'work', input: { value: '{{ input.value }}' } })));
const graph = indexGraph(definition);
const clock = new FakeClock(Date.UTC(2026, 0, 1));
const version: VersionRecord = { workflowId: 'w', workflowSlug: 'w', versionId: 'v', version: 1, graph: definition };

/** Per kind of object: how many were compared with the one before, and how many had another map. */
const seen = new Map<string, { last?: object; compared: number; differed: number }>();
function track(kind: string, value: object | undefined): void {
  if (!value) return;
  const entry = seen.get(kind) ?? { compared: 0, differed: 0 };
  if (entry.last) {
    entry.compared++;
    if (!haveSameMap(entry.last, value)) entry.differed++;
  }
  entry.last = value;
  seen.set(kind, entry);
}

async function step(record: InstanceRecord, event: RunEvent): Promise<Transition> {
  const ctx = { instance: { id: record.id, workflow: 'w', version: 1, startedAt: record.createdAt, input: record.input }, graph, now: clock.now(), limits: LIMITS, historyCount: record.historyCount };
  const next = await transition(ctx, record.state, event);
  const draft = new CheckpointDraft(record, clock.now(), clock);
  draft.add(next);
  const checkpoint: Checkpoint = draft.checkpoint({ owner: 'me', leaseMs: 30_000 });
  if (next.status === 'running') {
    track('transition', next);
    track('checkpoint', checkpoint);
  }
  draft.committed(checkpoint);
  return next;
}

for (let run = 0; run < RUNS; run++) {
  const first = firstCheckpoint(version, { id: `run-${run}`, input: { value: run }, trace: { traceId: `${run}`.padStart(32, '0'), sampled: true } }, clock.now());
  track('first state', first.state);
  // The record a worker holds for a run it admitted, as the worker makes it.
  const record = admittedRecord(version, first, { owner: 'me', expiresAt: clock.now() + 30_000 });
  await step(record, { type: 'start' });
  track('new token', record.state.tokens[0]);
  for (let attempt = 0; attempt < STEPS; attempt++) {
    await step(record, { type: 'actionSucceeded', tokenId: record.state.tokens[0].id, attempt: 1, output: { value: attempt } });
  }
  if (record.status !== 'completed') throw new Error(`run ${run} ended ${record.status}, not completed`);
}

process.stdout.write(JSON.stringify(Object.fromEntries([...seen].map(([kind, { compared, differed }]) => [kind, { compared, differed }]))));
