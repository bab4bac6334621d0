// The web app's entry. The editor, runs and inbox arrive with their issues; until then this page
// lists the node kinds of the shared registry, so the build exercises the shared code.
import { createRoot } from 'react-dom/client';
import { nodeKindList } from '../shared/nodes/registry.js';

function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24, maxWidth: 720 }}>
      <h1>Cairn</h1>
      <p>Durable workflows. The engine is running; the editor is on its way.</p>
      <h2>Node kinds</h2>
      <ul data-testid="node-kinds">
        {nodeKindList.map((kind) => (
          <li key={kind.kind}>
            <strong>{kind.label}</strong> — {kind.description}
          </li>
        ))}
      </ul>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
