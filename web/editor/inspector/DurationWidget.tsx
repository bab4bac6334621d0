// A duration as text ("7d", "PT1H30M") with live feedback of what it means ("= 7 days").
import { parseDuration } from '../../../shared/durations.js';
import { asString, useInspector, type WidgetProps } from './widget-kit.js';

const UNITS = [
  ['week', 604_800_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
  ['millisecond', 1],
] as const;

/** 604800000 → "1 week", 90000 → "1 minute 30 seconds", 0 → "0 seconds". */
export function describeMs(ms: number): string {
  if (ms === 0) return '0 seconds';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
    rest -= count * size;
  }
  return parts.join(' ');
}

/** What a duration's text means, or undefined when it is empty or does not parse (the field says why). */
export function durationFeedback(text: string): string | undefined {
  if (!text.trim()) return undefined;
  const parsed = parseDuration(text);
  return parsed.ok ? `= ${describeMs(parsed.ms)}` : undefined;
}

export function DurationWidget({ id, testId, value, onChange, placeholder, emptyIsUnset }: WidgetProps) {
  const { readOnly } = useInspector();
  const text = asString(value);
  const feedback = durationFeedback(text);
  const invalid = text.trim() !== '' && !feedback;
  return (
    <div className="cairn-inspector__duration">
      <input
        id={id}
        type="text"
        className="cairn-inspector__input"
        data-testid={testId}
        value={text}
        placeholder={placeholder ?? '30s, 5m, 1h, 7d, P7D'}
        disabled={readOnly}
        aria-invalid={invalid || undefined}
        onChange={(event) => onChange(event.target.value === '' && emptyIsUnset ? undefined : event.target.value)}
      />
      <span className="cairn-inspector__feedback" data-testid={`${testId}-feedback`} aria-live="polite">
        {feedback}
      </span>
    </div>
  );
}
