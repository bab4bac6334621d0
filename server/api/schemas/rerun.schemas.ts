// Input of "rerun from a step" (REST POST /api/v1/instances/:id/rerun and tRPC reruns.start).
import { z } from 'zod';
import { nodeIdSchema } from '../../../shared/graph/graph.schema.js';
import { refusedAs, runId } from './fields.js';

export const rerunInput = z.strictObject(
  {
    id: runId,
    fromNode: refusedAs('INVALID_INPUT', z.string({ error: 'fromNode must be the id of a node of the run, such as "charge"' }).pipe(nodeIdSchema)),
    /** X's changed input (a step's or subflow's); absent: X resolves its own, as the run first did. */
    input: z.unknown().optional(),
    onVersion: refusedAs('INVALID_INPUT', z.enum(['same', 'active'], { error: 'onVersion must be "same" (the run\'s version) or "active" (the workflow\'s active version)' }).optional()),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}: send { fromNode, input?, onVersion? }` : undefined) },
);

export type RerunInput = z.output<typeof rerunInput>;
