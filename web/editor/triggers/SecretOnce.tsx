// A webhook's new secret, shown this once with a copy button: the server keeps it encrypted and
// never answers it again (rotate to get a new one).
import { useRef, useState } from 'react';

export function SecretOnce({ secret, onDone }: { secret: string; onDone(): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard access (plain http): leave the secret selected for Ctrl+C.
      input.current?.select();
      setCopied('failed');
    }
  }
  return (
    <div className="cairn-notice cairn-notice--warning cairn-triggers__secret" role="note" data-testid="webhook-secret-once">
      <p className="cairn-notice__title">Copy the secret now: it is not shown again.</p>
      <div className="cairn-triggers__secret-row">
        <input ref={input} className="cairn-input cairn-input--mono" readOnly value={secret} aria-label="Webhook secret" data-testid="webhook-secret" onFocus={(event) => event.target.select()} />
        <button type="button" className="cairn-button cairn-button--small" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'failed' && <p className="cairn-field__hint">Copying is not allowed here: the secret is selected, press Ctrl+C (⌘C).</p>}
      <button type="button" className="cairn-button cairn-button--small" onClick={onDone} data-testid="webhook-secret-done">
        I have stored it
      </button>
    </div>
  );
}
