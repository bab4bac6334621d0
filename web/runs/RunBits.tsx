// Small pieces the runs pages share: the live indicator and a run's short id.
import type { LiveState } from './live.js';
import { shortId } from './run-format.js';
import './runs-shared.css';

export function LiveIndicator({ state }: { state: LiveState }) {
  const label = { live: 'Live', connecting: 'Connecting…', offline: 'Not live: reload to reconnect' }[state];
  return (
    <span className={`cairn-live cairn-live--${state}`} data-testid="live-state" title={state === 'live' ? 'Updates as runs change' : undefined}>
      <span className="cairn-live__dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function RunId({ id }: { id: string }) {
  return (
    <code className="cairn-run-id" title={id}>
      {shortId(id)}
    </code>
  );
}
