// First start: publish the example workflows, so a new user has something to open and run, each with
// its scenarios stored with the draft (and so frozen into version 1), for the editor's Tests panel.
import type { Logger } from '../logger.js';
import type { ScenariosService } from '../services/scenarios.service.js';
import type { WorkflowsService } from '../services/workflows.service.js';
import { examples } from './examples.js';

/** Seeds only a database without workflows; returns the slugs it published. */
export async function seedExamples(workflows: WorkflowsService, logger: Logger, scenarios?: ScenariosService): Promise<string[]> {
  if ((await workflows.list()).length > 0) return [];
  for (const example of examples) {
    await workflows.saveDraft(example.slug, { name: example.name, graph: example.graph });
    if (scenarios && example.scenarios.length > 0) await scenarios.replace(example.slug, { scenarios: example.scenarios });
    await workflows.publish(example.slug, 'example');
  }
  logger.info('published the example workflows', { workflows: examples.map((example) => example.slug) });
  return examples.map((example) => example.slug);
}
