// The thin client the engine calls for `ai` nodes (DESIGN §3, "AI nodes"): one chat completion
// against an OpenAI-compatible endpoint, asking for JSON matching the node's outputSchema — with,
// on a repair turn, the previous answer and what was wrong with it. It returns the model's raw text
// unvalidated (normalising, parsing, schema checks and the model chain are the engine's job), the
// token counts and a cost estimate, or a failure the engine can classify (status, Retry-After).
// The configuration is checked here, at once; the AI SDK (ai-sdk-call.ts, tens of megabytes) is
// loaded on the first call to a configured model, so a process without a model never loads it.
import type { SdkCall } from './ai-sdk-call.js';
import { isHttpUrl, type ModelConfig } from './model-config.js';
import type { ModelClient, ModelResult } from './model-contract.js';

export { modelConfigFromEnv, type ModelConfig, type ModelPrice } from './model-config.js';
export { MAX_RESPONSE_BYTES, type ModelClient, type ModelErrorCode, type ModelRequest, type ModelResult, type ModelUsage } from './model-contract.js';

type Caller = (call: SdkCall) => Promise<ModelResult>;

export function createModelClient(config: ModelConfig): ModelClient {
  const { baseURL, apiKey } = config;
  if (baseURL !== undefined && !isHttpUrl(baseURL)) throw new Error(`model base URL is not an http(s) URL: ${JSON.stringify(baseURL)}`);
  const names = Object.keys(config.models);
  let caller: Promise<Caller> | undefined;

  return {
    async complete(request) {
      if (baseURL === undefined || names.length === 0) {
        return { ok: false, error: { code: 'NO_MODEL', message: 'no model configured' } };
      }
      // Object.hasOwn: a node naming "constructor" must not pick up Object.prototype.
      const modelId = Object.hasOwn(config.models, request.model) ? config.models[request.model] : undefined;
      if (modelId === undefined) {
        const message = `unknown model "${request.model}"; configured: ${names.join(', ')}`;
        return { ok: false, error: { code: 'UNKNOWN_MODEL', message } };
      }
      const price = config.prices && Object.hasOwn(config.prices, request.model) ? config.prices[request.model] : undefined;
      caller ??= import('./ai-sdk-call.js').then(({ aiSdkCaller }) => aiSdkCaller(baseURL, apiKey));
      return (await caller)({ request, modelId, price });
    },
  };
}
