// ai: asks a model for JSON matching outputSchema; after the last failed attempt takes `fallback`.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { duration, jsonSchema, template } from './fields.js';

export const aiNode = defineNodeKind({
  kind: 'ai',
  label: 'AI',
  description: 'Asks a model for structured output, with a fallback path.',
  icon: 'sparkles',
  category: 'ai',
  config: z.object({
    model: z.string().min(1).meta({ widget: 'model', title: 'Model' }).default('default'),
    system: template('System prompt', undefined, 'You sort support tickets. Answer with JSON only.').optional(),
    prompt: template('Prompt', undefined, 'Classify this ticket: {{ input.subject }}'),
    outputSchema: jsonSchema('Output schema', 'JSON Schema the answer must match'),
    maxAttempts: z.number().int().min(1).max(10).meta({ widget: 'number', title: 'Max attempts' }).default(2),
    timeout: duration('Timeout', 'Per attempt').default('60s'),
  }),
  defaults: {
    prompt: 'Classify: {{ input.text }}',
    outputSchema: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] },
  },
  ports: ['ok', 'fallback'],
  failurePorts: ['fallback'],
});

export type AiConfig = ConfigOf<typeof aiNode>;
