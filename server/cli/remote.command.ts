// `cairn status|signal|cancel <run>`: a run on a running server, over REST v1 through the typed
// client (cairn/client). The server is --url or CAIRN_URL (default http://127.0.0.1:3000), the
// token --token or CAIRN_TOKEN. Every refusal is one line: a bad URL or --data, no token, a server
// that cannot be reached, or the server's own error (401 bad token, 404 unknown run, 409 finished).
import { parseArgs } from 'node:util';
import { CairnApiError, CairnClientError, createClient, type CairnClient, type Run } from '../api/client/index.js';
import { CliError } from './cli-error.js';

const DEFAULT_URL = 'http://127.0.0.1:3000';

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  data: { type: 'string' },
  reason: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

const USAGE = {
  status: 'cairn status <run> [--json] [--url U] [--token T]',
  signal: "cairn signal <run> <name> [--data '<json>'] [--url U] [--token T]",
  cancel: 'cairn cancel <run> [--reason R] [--url U] [--token T]',
} as const;

export type RemoteVerb = keyof typeof USAGE;
export const isRemoteVerb = (command: string | undefined): command is RemoteVerb => command !== undefined && Object.hasOwn(USAGE, command);
export const REMOTE_USAGE = Object.values(USAGE);

function client(values: { url?: string; token?: string }, env: NodeJS.ProcessEnv): CairnClient {
  const token = values.token ?? env.CAIRN_TOKEN;
  if (!token) throw new CliError('no token: give --token or set CAIRN_TOKEN (an API token: cairn token create --role editor)');
  return createClient({ url: values.url ?? env.CAIRN_URL ?? DEFAULT_URL, token });
}

function parseData(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`--data is not JSON: ${(error as Error).message} (quote it for the shell: --data '{"ok":true}')`);
  }
}

/** What `status` prints: the run at a glance, one fact per line. */
export function describeRun(run: Run): string[] {
  const lines = [`run ${run.id} of ${run.workflow} v${run.version}`, `status: ${run.status}`];
  for (const wait of run.waitingOn) lines.push(`waiting on: ${wait.nodeId} (${wait.kind}${wait.on ? ` ${wait.on}` : ''})${wait.until ? ` until ${wait.until}` : ''}`);
  if (run.error) lines.push(`error: [${run.error.code}]${run.error.nodeId ? ` node "${run.error.nodeId}":` : ''} ${run.error.message}`);
  if (run.output !== null && run.output !== undefined) lines.push(`output: ${JSON.stringify(run.output)}`);
  lines.push(`started: ${run.createdAt}`, `updated: ${run.updatedAt}`);
  return lines;
}

export async function remoteCommand(verb: RemoteVerb, args: string[], options: { print: (line: string) => void; env?: NodeJS.ProcessEnv }): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const expected = verb === 'signal' ? 2 : 1;
  if (positionals.length !== expected) throw new CliError(`usage: ${USAGE[verb]}`);
  if (verb !== 'signal' && values.data !== undefined) throw new CliError(`--data goes with signal only; usage: ${USAGE[verb]}`);
  const data = parseData(values.data);
  const [runId, name] = positionals;
  try {
    const api = client(values, options.env ?? process.env);
    if (verb === 'status') {
      const run = await api.get(runId);
      for (const line of values.json ? [JSON.stringify(run, null, 2)] : describeRun(run)) options.print(line);
    } else if (verb === 'signal') {
      const { signalId } = await api.signal(runId, name, data);
      options.print(`signal "${name}" delivered to run ${runId} (${signalId})`);
    } else {
      await api.cancel(runId, values.reason === undefined ? {} : { reason: values.reason });
      options.print(`run ${runId} is being cancelled`);
    }
    return 0;
  } catch (error) {
    if (error instanceof CairnApiError) throw new CliError(`${error.status} ${error.code}: ${error.message}`);
    if (error instanceof CairnClientError) throw new CliError(error.message);
    throw error;
  }
}
