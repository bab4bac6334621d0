// Which credentials a graph names: every `credential` field (a literal name) in a step's input or its
// compensation's input, as `http.request` and team actions take it.
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
  for (const node of nodes as { kind?: unknown; config?: { input?: unknown; compensate?: { input?: unknown } } }[]) {
    if (node?.kind !== 'step') continue;
    walk(node.config?.input);
    walk(node.config?.compensate?.input);
  }
  return names;
}
