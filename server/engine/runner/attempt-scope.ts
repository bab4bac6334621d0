// What one action attempt gets besides its input: a logger (the server log), `log` for lines that go
// into the run's history too, and the credentials it asks for, resolved at run time. Whatever the
// attempt hands back — output, error, log lines — has those credentials' values redacted before it
// is checkpointed or logged.
import type { CredentialRequirement, CredentialValue } from '../../../shared/credential-kinds.js';
import { NonRetryableError } from '../errors.js';
import { Redactor } from '../../credentials/redact.js';
import { noCredentials, type CredentialSource } from '../../credentials/credential-source.js';
import type { LogFields, Logger } from '../../logger.js';
import type { ActionLogLine, ErrorInfo } from '../core/types.js';

/** What one attempt of an action came to: its output or its error, and the lines it logged. */
export type AttemptOutcome = ({ ok: true; output: unknown } | { ok: false; error: ErrorInfo }) & { logs?: ActionLogLine[] };

/** Lines of one attempt kept in history, and characters per line. */
const MAX_LINES = 200;
const MAX_LINE_CHARS = 2_000;

export interface AttemptScope {
  readonly logger: Logger;
  log(message: string, level?: ActionLogLine['level']): void;
  readonly credentials: { get(name: string): Promise<CredentialValue> };
  /** The outcome as it may be stored: redacted, with the attempt's log lines. */
  seal(outcome: AttemptOutcome): AttemptOutcome;
}

/** The credentials an action declares and the stored ones its step chose for them. */
export interface DeclaredCredentials {
  by: string;
  nodeId: string;
  requirements: Record<string, CredentialRequirement>;
  chosen: Record<string, string>;
}

/**
 * The stored credential's name for what the action asked: with declarations, the step's choice for
 * the declared name (anything else is refused, so an action reaches only what its step gave it);
 * without, the name itself.
 */
function storedName(name: string, declared: DeclaredCredentials | undefined): string {
  if (!declared) return name;
  const { by, nodeId, requirements, chosen } = declared;
  if (!Object.hasOwn(requirements, name)) {
    throw new NonRetryableError(`action "${by}" asked for credential "${String(name).slice(0, 100)}", which it does not declare (it declares ${Object.keys(requirements).map((slot) => `"${slot}"`).join(', ')})`, { code: 'CREDENTIAL_NOT_DECLARED' });
  }
  const stored = Object.hasOwn(chosen, name) ? chosen[name] : undefined;
  if (typeof stored !== 'string') throw new NonRetryableError(`node "${nodeId}" chose no credential for "${name}" of action "${by}": choose one in the step's credentials.${name}`, { code: 'CREDENTIAL_NOT_CHOSEN' });
  return stored;
}

export function createAttemptScope(options: { logger: () => Logger; credentials?: CredentialSource; declared?: DeclaredCredentials }): AttemptScope {
  const redactor = new Redactor();
  const lines: ActionLogLine[] = [];
  let dropped = 0;
  let base: Logger | undefined;
  const source = options.credentials ?? noCredentials;

  const write = (level: ActionLogLine['level']) => (message: string, fields?: LogFields) => {
    (base ??= options.logger())[level](redactor.text(String(message)), fields && redactor.value(fields));
  };
  const logger: Logger = {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => (base ??= options.logger()).child(redactor.value(fields)),
  };

  return {
    logger,
    log(message, level = 'info') {
      const known = (['debug', 'info', 'warn', 'error'] as const).includes(level) ? level : 'info';
      const text = redactor.text(String(message));
      write(known)(text);
      if (lines.length >= MAX_LINES) dropped++;
      else lines.push({ level: known, message: text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text });
    },
    credentials: {
      async get(name) {
        const stored = storedName(name, options.declared);
        const value = await source.resolve(stored);
        redactor.add(value);
        const kind = options.declared?.requirements[name]?.kind;
        if (kind && value.kind !== kind) {
          throw new NonRetryableError(`credential "${stored}" is ${value.kind}; action "${options.declared!.by}" needs a ${kind} credential for "${name}"`, { code: 'CREDENTIAL_KIND' });
        }
        return value;
      },
    },
    seal(outcome) {
      // Nothing logged and no secret resolved: the outcome is already what may be stored.
      if (lines.length === 0 && dropped === 0 && !redactor.active) return outcome;
      const logs = dropped > 0 ? [...lines, { level: 'warn' as const, message: `… ${dropped} more lines were not kept (at most ${MAX_LINES})` }] : [...lines];
      const sealed: AttemptOutcome = outcome.ok ? { ok: true, output: redactor.value(outcome.output) } : { ok: false, error: redactor.value(outcome.error) };
      return logs.length > 0 ? { ...sealed, logs } : sealed;
    },
  };
}
