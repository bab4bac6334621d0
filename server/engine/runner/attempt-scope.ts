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
  return new Scope(options);
}

// One per attempt, and most attempts neither log nor resolve a credential: the logger, the lines and
// the credential reader are made on first use.
class Scope implements AttemptScope {
  private readonly redactor = new Redactor();
  private readonly lines: ActionLogLine[] = [];
  private dropped = 0;
  private base?: Logger;
  private view?: Logger;
  private reader?: AttemptScope['credentials'];

  constructor(private readonly options: { logger: () => Logger; credentials?: CredentialSource; declared?: DeclaredCredentials }) {}

  private write(level: ActionLogLine['level'], message: string, fields?: LogFields): void {
    const { redactor } = this;
    (this.base ??= this.options.logger())[level](redactor.text(String(message)), fields && redactor.value(fields));
  }

  get logger(): Logger {
    if (this.view) return this.view;
    const scope = this;
    return (this.view = {
      debug: (message, fields) => scope.write('debug', message, fields),
      info: (message, fields) => scope.write('info', message, fields),
      warn: (message, fields) => scope.write('warn', message, fields),
      error: (message, fields) => scope.write('error', message, fields),
      child: (fields) => (scope.base ??= scope.options.logger()).child(scope.redactor.value(fields)),
    });
  }

  log(message: string, level: ActionLogLine['level'] = 'info'): void {
    const known = (['debug', 'info', 'warn', 'error'] as const).includes(level) ? level : 'info';
    const text = this.redactor.text(String(message));
    this.write(known, text);
    if (this.lines.length >= MAX_LINES) this.dropped++;
    else this.lines.push({ level: known, message: text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text });
  }

  get credentials(): AttemptScope['credentials'] {
    if (this.reader) return this.reader;
    const { options, redactor } = this;
    const source = options.credentials ?? noCredentials;
    return (this.reader = {
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
    });
  }

  seal(outcome: AttemptOutcome): AttemptOutcome {
    const { lines, dropped, redactor } = this;
    // Nothing logged and no secret resolved: the outcome is already what may be stored.
    if (lines.length === 0 && dropped === 0 && !redactor.active) return outcome;
    const logs = dropped > 0 ? [...lines, { level: 'warn' as const, message: `… ${dropped} more lines were not kept (at most ${MAX_LINES})` }] : [...lines];
    const sealed: AttemptOutcome = outcome.ok ? { ok: true, output: redactor.value(outcome.output) } : { ok: false, error: redactor.value(outcome.error) };
    return logs.length > 0 ? { ...sealed, logs } : sealed;
  }
}
