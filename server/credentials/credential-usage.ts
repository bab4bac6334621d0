// Which credentials a graph names: every `credential` field (a literal name) in a step's input or its
// compensation's input, as `http.request` takes it, and every choice in a step's (or compensation's)
// `credentials`, for the credentials its action declares.
export function credentialsNamedIn(graph: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      if (key === 'credential' && typeof item === 'string') names.add(item);
      else walk(item);
    }
  };
  const nodes = (graph as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return names;
  const chosen = (choices: unknown) => {
    if (choices && typeof choices === 'object') for (const name of Object.values(choices)) if (typeof name === 'string') names.add(name);
  };
  for (const node of nodes as { kind?: unknown; config?: { input?: unknown; credentials?: unknown; compensate?: { input?: unknown; credentials?: unknown } } }[]) {
    if (node?.kind !== 'step') continue;
    walk(node.config?.input);
    walk(node.config?.compensate?.input);
    chosen(node.config?.credentials);
    chosen(node.config?.compensate?.credentials);
  }
  return names;
}
