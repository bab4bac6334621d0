// First start: publish the example workflows, so a new user has something to open and run.
import type { Logger } from '../logger.js';
import type { WorkflowsService } from '../services/workflows.service.js';
import { examples } from './examples.js';

/** Seeds only a database without workflows; returns the slugs it published. */
export async function seedExamples(workflows: WorkflowsService, logger: Logger): Promise<string[]> {
  if ((await workflows.list()).length > 0) return [];
  for (const example of examples) {
    await workflows.saveDraft(example.slug, { name: example.name, graph: example.graph });
    await workflows.publish(example.slug, 'example');
  }
  logger.info('published the example workflows', { workflows: examples.map((example) => example.slug) });
  return examples.map((example) => example.slug);
}
