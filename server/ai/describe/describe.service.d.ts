import type { Graph } from '../../../shared/graph/graph.schema.js';
import type { ActionRegistry } from '../../actions/registry.js';
import type { ScenariosService } from '../../services/scenarios.service.js';
import type { WorkflowsService } from '../../services/workflows.service.js';
import type { ModelClient, ModelConfig } from '../model-client.js';
export declare const NO_MODEL_HINT = "No model is configured. Set CAIRN_AI_BASE_URL (an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama) and CAIRN_AI_MODELS (e.g. {\"default\":\"gpt-4o-mini\"}), with CAIRN_AI_API_KEY if it needs one, and restart Cairn.";
/** The configured model a description is sent to: "default", else the first configured name. */
export declare function describeModel(config: ModelConfig): string | undefined;
export declare function createDescribeService(deps: {
    models: ModelClient;
    config: ModelConfig;
    actions: ActionRegistry;
    workflows: WorkflowsService;
    scenarios?: ScenariosService;
}): {
    status: () => {
        configured: false;
        hint: string;
        model?: undefined;
    } | {
        configured: true;
        model: string;
        hint?: undefined;
    };
    /** A new workflow's draft from a description; answers what was added, one line per node. */
    describe(description: string, by?: string): Promise<{
        slug: string;
        name: string;
        graph: {
            format: "cairn.graph/v2";
            nodes: {
                id: string;
                kind: string;
                position: {
                    x: number;
                    y: number;
                };
                config: Record<string, unknown>;
                label?: string | undefined;
            }[];
            edges: {
                id: string;
                source: string;
                sourcePort: string;
                target: string;
            }[];
        };
        lines: import("../../../shared/describe/review-lines.js").ReviewLine[];
        scenario: string | null;
        attempts: number;
        repairs: number;
        latencyMs: number;
    }>;
    /** A proposed change to `graph` (the editor's, maybe unsaved): not saved; the editor shows it as a diff. */
    change(options: {
        graph: Graph;
        instruction: string;
        focus: string[];
    }): Promise<{
        graph: {
            format: "cairn.graph/v2";
            nodes: {
                id: string;
                kind: string;
                position: {
                    x: number;
                    y: number;
                };
                config: Record<string, unknown>;
                label?: string | undefined;
            }[];
            edges: {
                id: string;
                source: string;
                sourcePort: string;
                target: string;
            }[];
        };
        added: string[];
        changed: string[];
        removed: string[];
        lines: import("../../../shared/describe/review-lines.js").ReviewLine[];
        attempts: number;
        repairs: number;
        latencyMs: number;
    }>;
};
export type DescribeService = ReturnType<typeof createDescribeService>;
