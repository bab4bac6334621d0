// Runs engine-lock-child.ts as a real process, for the tests of the engine locks: a lock the
// kernel or PostgreSQL must drop when its holder dies can only be shown with a holder that dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const childScript = fileURLToPath(new URL('./engine-lock-child.ts', import.meta.url));

export interface LockHolder {
  readonly process: ChildProcess;
  /** "held" once it holds the lock; otherwise it exited first (code 3: refused) and `output` says why. */
  readonly outcome: Promise<'held' | { code: number | null; output: string }>;
  kill(): Promise<void>;
}

const holders = new Set<LockHolder>();

export function holdLockInChild(url: string, workerId: string): LockHolder {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, url, workerId], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const outcome = new Promise<'held' | { code: number | null; output: string }>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('held\n')) resolve('held');
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    void exited.then((code) => resolve({ code, output }));
  });
  const holder: LockHolder = {
    process: child,
    outcome,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      holders.delete(holder);
    },
  };
  holders.add(holder);
  return holder;
}

/** SIGKILL every holder still alive (afterEach). */
export async function killLockHolders(): Promise<void> {
  await Promise.all([...holders].map((holder) => holder.kill()));
}
