// The AI prompt suite (issue 20): seed 000's four example descriptions and ten more, each described
// by the configured model (CAIRN_AI_BASE_URL, CAIRN_AI_MODELS, CAIRN_AI_API_KEY) through the same
// loop the server uses (server/ai/describe: the real validator, at most 3 repair turns). A prompt
// passes when the graph is valid and the scenario the model wrote for it parses and passes on the
// real engine with a virtual clock. Prints pass rate, latency and repairs per prompt and overall,
// and writes bench-results/ai-prompts.json; without a model, prints "no model configured".
// Alone with `npx tsx bench/ai-prompts.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseScenarios } from '../shared/scenarios/parse-scenarios.js';
import { SCENARIO_FORMAT } from '../shared/scenarios/scenario.schema.js';
import { builtinActions } from '../server/actions/builtin.actions.js';
import { parseAllowList } from '../server/actions/egress.js';
import { ActionRegistry } from '../server/actions/registry.js';
import { describeModel } from '../server/ai/describe/describe.service.js';
import { describeWorkflow } from '../server/ai/describe/describe.js';
import { buildReference } from '../server/ai/describe/reference.js';
import { createModelClient, modelConfigFromEnv } from '../server/ai/model-client.js';
import { runScenarios } from '../server/scenarios/run-all.js';
import { validateOptions } from '../server/services/graph-checks.js';
import { SEED_DESCRIPTIONS } from '../server/testing/described-workflows.js';

const OWN = {
  'invoice-approval': 'When an invoice arrives: if the amount is over 1000, ask finance to approve it within 3 days; if approved, pay it through the payments API; if rejected or not decided in time, email the supplier.',
  'ticket-triage': 'When a support ticket is opened: use AI to classify it as bug, billing or question; for bugs create an issue in the tracker, for billing forward it to finance, otherwise send the FAQ link.',
  'employee-onboarding': 'When a new hire is added: create their accounts, wait until their start date, send a welcome message, then after 30 days ask their manager for a check-in review.',
  'document-signature': 'Send a contract for signature and wait for the signed event for up to 14 days, reminding the signer after 7 days; if it is signed, archive it, otherwise mark the deal as stalled.',
  'refund': 'When a customer asks for a refund: look up the order; if it was delivered less than 30 days ago refund it automatically, otherwise a support lead must approve it.',
  'parallel-checks': 'When a loan application arrives, run the credit check and the identity check at the same time, wait for both, then approve automatically if both pass or fail the application otherwise.',
  'daily-report': 'Fetch yesterday\'s sales from the reporting API, transform them into a summary with the total and the top product, and post the summary to the team chat webhook.',
  'trial-expiry': 'When a trial starts, wait 13 days, then check whether the account upgraded; if not, send a last-day email; wait one more day and downgrade the account if still not upgraded.',
  'incident-escalation': 'When an alert fires, page the on-call engineer and wait for an acknowledgement for 15 minutes; if nobody acknowledges, page the secondary; if still nobody after 15 more minutes, call the manager.',
  'content-moderation': 'When a post is reported, ask AI whether it breaks the rules with a reason; if the model is unsure or fails, a moderator decides; remove the post if it breaks the rules and notify the author.',
};

const PROMPTS: Record<string, string> = { ...SEED_DESCRIPTIONS, ...OWN };

interface Outcome {
  prompt: string;
  valid: boolean;
  scenario: 'passed' | 'failed' | 'missing' | 'unreadable';
  passed: boolean;
  repairs: number;
  latencyMs: number;
  error?: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0;
};

async function main(): Promise<void> {
  const config = modelConfigFromEnv(process.env);
  const model = describeModel(config);
  if (model === undefined) {
    console.log('no model configured: set CAIRN_AI_BASE_URL and CAIRN_AI_MODELS (and CAIRN_AI_API_KEY if needed) to run the AI prompt suite');
    return;
  }
  const actions = new ActionRegistry(builtinActions);
  const deps = { models: createModelClient(config), model, reference: buildReference(actions.describe()), validate: validateOptions(actions) };
  console.log(`AI prompt suite: ${Object.keys(PROMPTS).length} prompts, model "${model}" = ${config.models[model]} at ${config.baseURL}`);
  const outcomes: Outcome[] = [];
  for (const [prompt, text] of Object.entries(PROMPTS)) {
    const asked = await describeWorkflow(deps, text);
    const base = { prompt, repairs: asked.repairs, latencyMs: asked.latencyMs };
    if (!asked.ok) {
      const error = asked.reason === 'provider' ? `${asked.code}: ${asked.message}` : asked.problems[0];
      outcomes.push({ ...base, valid: false, scenario: 'missing', passed: false, error });
    } else if (!asked.result.scenario) {
      outcomes.push({ ...base, valid: true, scenario: 'missing', passed: false });
    } else {
      const read = parseScenarios({ format: SCENARIO_FORMAT, scenarios: [{ name: 'main path', ...(asked.result.scenario as object) }] }, prompt);
      if (!read.ok) outcomes.push({ ...base, valid: true, scenario: 'unreadable', passed: false, error: read.problems[0] });
      else {
        const suite = await runScenarios([{ scenario: read.scenarios[0], graph: asked.result.graph, slug: prompt, source: prompt, workflowSource: prompt }], { actions, egress: parseAllowList([]) });
        const [result] = suite.results;
        outcomes.push({ ...base, valid: true, scenario: result.passed ? 'passed' : 'failed', passed: result.passed, ...(!result.passed && { error: result.failures[0] }) });
      }
    }
    const last = outcomes.at(-1)!;
    console.log(`${last.passed ? '✓' : '✗'} ${prompt.padEnd(22)} graph ${last.valid ? 'valid' : 'invalid'}, scenario ${last.scenario}, ${last.repairs} repair(s), ${(last.latencyMs / 1000).toFixed(1)} s${last.error ? ` — ${last.error.slice(0, 160)}` : ''}`);
  }
  const passed = outcomes.filter((outcome) => outcome.passed).length;
  const valid = outcomes.filter((outcome) => outcome.valid).length;
  const summary = {
    model: { name: model, id: config.models[model], baseURL: config.baseURL },
    prompts: outcomes.length,
    passRate: passed / outcomes.length,
    validRate: valid / outcomes.length,
    medianLatencyMs: median(outcomes.map((outcome) => outcome.latencyMs)),
    maxLatencyMs: Math.max(...outcomes.map((outcome) => outcome.latencyMs)),
    repairsUsed: outcomes.reduce((sum, outcome) => sum + outcome.repairs, 0),
    outcomes,
  };
  console.log(`pass rate ${passed}/${outcomes.length} (${Math.round(summary.passRate * 100)} %), valid graphs ${valid}/${outcomes.length}, median latency ${(summary.medianLatencyMs / 1000).toFixed(1)} s (max ${(summary.maxLatencyMs / 1000).toFixed(1)} s), repairs used ${summary.repairsUsed}`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/ai-prompts.json', `${JSON.stringify(summary, null, 2)}\n`);
}

await main();
