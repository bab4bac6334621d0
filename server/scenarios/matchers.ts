// Comparisons that explain themselves: a partial match lists each difference by its path
// ("output.amount: expected 420, got 400"), so a failing scenario says what differs, not just "no".

const MAX_SHOWN = 200;

/** A value as a failure message shows it: JSON, cut short. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Differences between `expected` and `actual`: objects match when every expected key matches (more keys
 * are fine), arrays element by element with the same length, anything else by equality.
 */
export function partialDiff(expected: unknown, actual: unknown, at: string, out: string[] = []): string[] {
  if (out.length >= 20) return out;
  if (isObject(expected)) {
    if (!isObject(actual)) return (out.push(`${at}: expected an object like ${show(expected)}, got ${show(actual)}`), out);
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) out.push(`${at}.${key}: expected ${show(value)}, got nothing (it has ${Object.keys(actual).slice(0, 10).join(', ') || 'no keys'})`);
      else partialDiff(value, actual[key], `${at}.${key}`, out);
    }
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return (out.push(`${at}: expected a list ${show(expected)}, got ${show(actual)}`), out);
    if (actual.length !== expected.length) return (out.push(`${at}: expected ${expected.length} item(s) ${show(expected)}, got ${actual.length}: ${show(actual)}`), out);
    expected.forEach((item, index) => partialDiff(item, actual[index], `${at}[${index}]`, out));
    return out;
  }
  if (!Object.is(expected, actual)) out.push(`${at}: expected ${show(expected)}, got ${show(actual)}`);
  return out;
}

/** The first place two node sequences part: "expected [a, b, c], got [a, x]: they differ at #2 (b ≠ x)". */
export function sequenceDiff(expected: readonly string[], actual: readonly string[], at: string): string | undefined {
  const length = Math.max(expected.length, actual.length);
  for (let index = 0; index < length; index++) {
    if (expected[index] !== actual[index]) {
      const where = expected[index] === undefined ? `got ${actual[index]} after the expected end` : actual[index] === undefined ? `it stops before ${expected[index]}` : `${expected[index]} expected, ${actual[index]} taken`;
      return `${at}: expected [${expected.join(', ')}], got [${actual.join(', ')}]: they part at #${index + 1} (${where})`;
    }
  }
  return undefined;
}
