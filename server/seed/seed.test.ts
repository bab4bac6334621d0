// Seeding on a fresh install (both databases, a real server): each example workflow is published with
// the scenarios of examples/<slug>.scenarios.json stored with its draft and frozen into version 1, so
// the editor's Tests panel lists them, and they pass when run on the seeded draft. A database that
// already holds a workflow is not seeded.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';
import { EXAMPLE_SLUGS, examples } from './examples.js';
import { seedExamples } from './seed.js';

// Running the examples' scenarios is quick (virtual clock), but a busy machine with PostgreSQL is slower.
vi.setConfig({ testTimeout: 120_000 });

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const fileScenarioNames = (slug: string): string[] =>
  (JSON.parse(readFileSync(new URL(`../../examples/${slug}.scenarios.json`, import.meta.url), 'utf8')) as { scenarios: { name: string }[] }).scenarios.map((scenario) => scenario.name);

describe('seeding the examples', () => {
  it('reads each example with the scenarios of its file, without the file reference', () => {
    for (const example of examples) {
      expect(example.scenarios.map((scenario) => scenario.name), example.slug).toEqual(fileScenarioNames(example.slug));
      for (const scenario of example.scenarios) expect(Object.keys(scenario)).not.toContain('workflow');
    }
  });

  it('stores every example scenario with the draft and version 1; the Tests panel lists them and they pass on the draft', async () => {
    t = await startTestServer({ seed: true });
    for (const slug of EXAMPLE_SLUGS) {
      const listed = await t.call('GET', `/api/v1/workflows/${slug}/scenarios`);
      expect(listed.status, slug).toBe(200);
      expect(listed.body.scenarios.map((scenario: { name: string }) => scenario.name), slug).toEqual(fileScenarioNames(slug));
      const frozen = await t.call('GET', `/api/v1/workflows/${slug}/versions/1/scenarios`);
      expect(frozen.body.scenarios.map((scenario: { name: string }) => scenario.name), slug).toEqual(fileScenarioNames(slug));
    }
    // What the editor's Tests panel shows: run them all on the seeded draft.
    for (const slug of EXAMPLE_SLUGS) {
      const ran = await t.call('POST', `/api/v1/workflows/${slug}/scenarios/run`, { body: {} });
      expect(ran.status, slug).toBe(200);
      const failing = ran.body.results.filter((result: { passed: boolean }) => !result.passed);
      expect(failing, slug).toEqual([]);
      expect(ran.body.passed, slug).toBe(fileScenarioNames(slug).length);
    }
  });

  it('leaves a database that holds a workflow alone', async () => {
    t = await startTestServer({ seed: false });
    expect((await t.call('PUT', '/api/v1/workflows/mine', { body: { name: 'Mine', graph: examples[0].graph } })).status).toBeLessThan(300);
    expect(await seedExamples(t.server.services.workflows, silentLogger, t.server.services.scenarios)).toEqual([]);
    expect((await t.call('GET', `/api/v1/workflows/${EXAMPLE_SLUGS[0]}`)).status).toBe(404);
  });
});
