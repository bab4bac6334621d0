// `cairn start` as a real child process on a given database, for tests that must see the server
// process itself: crashes, restarts, and that hostile input does not take it down.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cairn = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));

export interface CairnProcess {
  url: string;
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process wrote to stderr so far (its log at warn and above). */
  stderr(): string;
  /** One REST call with the admin token. */
  call(method: string, route: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  /** SIGKILL, or SIGTERM when asked, and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface CairnProcessOptions {
  databaseUrl: string;
  adminToken: string;
  /** Working directory (a scratch folder of the test). */
  cwd: string;
  env?: Record<string, string>;
}

/** `cairn start` on the database, resolved once it prints the URL it serves on. */
export function startCairnProcess(options: CairnProcessOptions): Promise<CairnProcess> {
  const proc = spawn(process.execPath, [cairn, 'start'], {
    cwd: options.cwd,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: options.databaseUrl,
      CAIRN_ADMIN_TOKEN: options.adminToken,
      CAIRN_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const match = /serving on (http:\/\/\S+)/.exec(stdout);
      if (!match) return;
      const url = match[1];
      resolve({
        url,
        process: proc,
        exited,
        stderr: () => stderr,
        async call(method, route, callOptions = {}) {
          const response = await fetch(`${url}${route}`, {
            method,
            headers: {
              authorization: `Bearer ${options.adminToken}`,
              ...(callOptions.body !== undefined ? { 'content-type': 'application/json' } : {}),
              ...callOptions.headers,
            },
            body: callOptions.body !== undefined ? JSON.stringify(callOptions.body) : undefined,
          });
          const text = await response.text();
          return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
        },
        async stop(signal = 'SIGKILL') {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
          await exited;
        },
      });
    });
    void exited.then(({ code, signal }) => reject(new Error(`cairn start exited with ${signal ?? code} before serving:\n${stdout}\n${stderr}`)));
  });
}
