// Short-lived notices in the corner for what finished (or failed) outside a dialog: exported, deleted…
// Errors stay longer than confirmations; each can be dismissed.
import { useCallback, useEffect, useRef, useState } from 'react';

export type ToastTone = 'ok' | 'danger' | 'info';

export interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
}

const LIFETIME_MS: Record<ToastTone, number> = { ok: 4_000, info: 5_000, danger: 9_000 };

export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);

  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);

  const push = useCallback(
    (tone: ToastTone, message: string) => {
      const id = nextId.current++;
      setToasts((current) => [...current.slice(-3), { id, tone, message }]);
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        dismiss(id);
      }, LIFETIME_MS[tone]);
      timers.current.add(timer);
    },
    [dismiss],
  );

  return { toasts, push, dismiss };
}

export function ToastStack({ toasts, onDismiss }: { toasts: Toast[]; onDismiss(id: number): void }) {
  return (
    <div className="cairn-toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`cairn-toast cairn-toast--${toast.tone}`} data-testid={`toast-${toast.tone}`}>
          <span className="cairn-toast__dot" aria-hidden="true" />
          <span className="cairn-toast__message">{toast.message}</span>
          <button type="button" className="cairn-toast__close" aria-label="Dismiss" onClick={() => onDismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
