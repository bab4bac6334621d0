// ai: asks a model (or a chain of models) for JSON matching outputSchema, repairing invalid answers;
// after the last failure takes `fallback`, or hands the answer to a person (`humanFallback`).
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { duration, jsonSchema, template, valueMap } from './fields.js';
import { assigneesSchema } from './approval.node.js';

export const aiNode = defineNodeKind({
  kind: 'ai',
  label: 'AI',
  description: 'Asks a model for structured output, with a fallback path.',
  icon: 'sparkles',
  category: 'ai',
  config: z.object({
    model: z.string().min(1).meta({ widget: 'model', title: 'Model' }).default('default'),
    models: z
      .array(z.string().min(1, 'a model name is required'))
      .min(1, 'name at least one model')
      .max(5, 'at most 5 models')
      .meta({
        widget: 'stringList',
        title: 'Model chain',
        description: 'Configured model names tried in order (replaces Model): a rate limit, server error or time-out moves to the next at once',
      })
      .optional(),
    system: template('System prompt', undefined, 'You sort support tickets. Answer with JSON only.').optional(),
    variables: valueMap('Variables', 'Named values the prompts read as {{ vars.<name> }}, resolved once on entry').optional(),
    inputSchema: jsonSchema('Input schema', 'JSON Schema the variables must match; checked on entry, before any model call').optional(),
    prompt: template('Prompt', undefined, 'Classify this ticket: {{ input.subject }}'),
    outputSchema: jsonSchema('Output schema', 'JSON Schema the answer must match'),
    maxAttempts: z.number().int().min(1).max(10).meta({ widget: 'number', title: 'Attempts per model', description: 'An invalid answer is sent back with its errors for repair' }).default(2),
    timeout: duration('Timeout', 'Per attempt').default('60s'),
    maxRetryWait: duration('Longest rate-limit wait', "A provider's Retry-After is honoured up to this when no other model is left").default('5m'),
    humanFallback: assigneesSchema
      .meta({ widget: 'assignees', title: 'Human fallback', description: 'People who fill in the answer in their inbox when the model fails; without them, `fallback` is taken' })
      .optional(),
  }),
  defaults: {
    prompt: 'Classify: {{ input.text }}',
    outputSchema: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] },
  },
  ports: ['ok', 'fallback'],
  failurePorts: ['fallback'],
});

export type AiConfig = ConfigOf<typeof aiNode>;
