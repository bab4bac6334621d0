// JUnit XML for CI (the shape Jenkins, GitLab and GitHub reporters read: testsuites > testsuite >
// testcase, with failure or error children). One testsuite per scenario file; a file that could not
// be used is a testcase with an <error>.
import type { LoadProblem } from './scenario-files.js';
import type { ScenarioResult } from './runner.js';

// XML 1.0 allows tab, newline, carriage return and these ranges; anything else (a control character in
// an error message) would make the whole report unreadable, so it is replaced.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

interface Suite {
  name: string;
  cases: string[];
  failures: number;
  errors: number;
  ms: number;
}

export function junitXml(results: readonly ScenarioResult[], problems: readonly LoadProblem[], options: { timestamp: Date }): string {
  const suites = new Map<string, Suite>();
  const suite = (name: string) => {
    let found = suites.get(name);
    if (!found) suites.set(name, (found = { name, cases: [], failures: 0, errors: 0, ms: 0 }));
    return found;
  };
  for (const result of results) {
    const entry = suite(result.source);
    entry.ms += result.wallMs;
    const head = `<testcase name="${escapeXml(result.name)}" classname="${escapeXml(result.source)}" time="${seconds(result.wallMs)}"`;
    if (result.passed) entry.cases.push(`${head}/>`);
    else {
      entry.failures++;
      const text = result.failures.join('\n');
      entry.cases.push(`${head}>\n      <failure message="${escapeXml(result.failures[0] ?? 'failed')}" type="ScenarioFailure">${escapeXml(text)}</failure>\n    </testcase>`);
    }
  }
  for (const problem of problems) {
    const entry = suite(problem.source);
    entry.errors++;
    entry.cases.push(`<testcase name="${escapeXml(`(reading ${problem.source})`)}" classname="${escapeXml(problem.source)}" time="0.000">\n      <error message="${escapeXml(problem.message.split('\n')[0])}" type="ScenarioFileError">${escapeXml(problem.message)}</error>\n    </testcase>`);
  }
  const all = [...suites.values()];
  const total = (pick: (entry: Suite) => number) => all.reduce((sum, entry) => sum + pick(entry), 0);
  const timestamp = options.timestamp.toISOString().slice(0, 19);
  const body = all
    .map(
      (entry) =>
        `  <testsuite name="${escapeXml(entry.name)}" tests="${entry.cases.length}" failures="${entry.failures}" errors="${entry.errors}" skipped="0" time="${seconds(entry.ms)}" timestamp="${timestamp}">\n    ${entry.cases.join('\n    ')}\n  </testsuite>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cairn test" tests="${total((entry) => entry.cases.length)}" failures="${total((entry) => entry.failures)}" errors="${total((entry) => entry.errors)}" time="${seconds(total((entry) => entry.ms))}">\n${body}\n</testsuites>\n`;
}
