// Reading graphs written in format cairn.graph/v1. Until format v2, five fields evaluated text without
// `{{ }}` as JSONata ("bare" expressions); since v2, text without `{{ }}` is literal in every field
// (DESIGN §2). A v1 graph keeps its meaning by having those fields' bare text wrapped in `{{ }}` when
// it is read: stored drafts, published versions (whose bytes and hash stay as they were published),
// exported files and v1 graphs sent over the API all go through here, never rewritten in place.
// No imports beyond types: the web bundle reads this too.

export const GRAPH_FORMAT_V1 = 'cairn.graph/v1';

/**
 * The fields that v1 evaluated as bare JSONata, frozen here as they were (not read from the node
 * registry, which may change): what a v1 graph meant must not change with it.
 */
export const V1_BARE_EXPRESSION_FIELDS: Readonly<Record<string, readonly string[]>> = {
  branch: ['condition'],
  wait: ['until'],
  end: ['output'],
  approval: ['data'],
  subflow: ['input'],
};

/**
 * `{{ source }}` for a JSONata source that v1 evaluated bare. A `}}` inside the source (a nested
 * object's closing braces) would end the braces early, so it is split: `} }` between tokens (JSONata
 * ignores the space) and `}\u007d` inside a string literal (the same string).
 */
export function braceExpression(source: string): string {
  let out = '';
  let quote: string | null = null;
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    out += char;
    if (quote) {
      if (char === '\\') {
        out += source[++index] ?? '';
      } else if (char === quote) {
        quote = null;
      } else if (char === '}' && source[index + 1] === '}' && quote !== '`') {
        out += '\\u007d';
        index++;
      }
    } else if (char === '"' || char === "'" || char === '`') {
      quote = char;
    } else if (char === '}' && source[index + 1] === '}') {
      out += ' ';
    }
  }
  return `{{ ${out.trim()} }}`;
}

interface AnyGraph {
  format: string;
  nodes: { kind: string; config: Record<string, unknown> }[];
}

/** The v2 equivalent of a v1 graph: bare text in v1's expression fields wrapped in `{{ }}`. */
export function upgradeV1<G extends AnyGraph, Format extends string>(graph: G, format: Format): Omit<G, 'format'> & { format: Format } {
  const nodes = graph.nodes.map((node) => {
    const fields = V1_BARE_EXPRESSION_FIELDS[node.kind];
    if (!fields) return node;
    let config = node.config;
    for (const field of fields) {
      const value = config[field];
      // Text with `{{` was already a template or a braced expression in v1; whitespace never compiled.
      if (typeof value !== 'string' || value.includes('{{') || !value.trim()) continue;
      config = { ...config, [field]: braceExpression(value) };
    }
    return config === node.config ? node : { ...node, config };
  });
  return { ...graph, format, nodes };
}
