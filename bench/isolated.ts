// Running a benchmark in a fresh Node process, for a clean RSS baseline: measured after other
// benchmarks, the baseline includes heap and malloc arenas those left behind and later gave back,
// which made growth come out negative. A fresh process has nothing to give back.
import { fork } from 'node:child_process';

/** Fork `script` with `payload` as its argument; resolves with the one message it sends before exiting 0. */
export function runIsolated<T>(script: string, payload: unknown, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    // process.execArgv carries tsx's loader; --expose-gc lets the child collect before measuring.
    const child = fork(script, [JSON.stringify(payload)], { execArgv: [...process.execArgv, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: T | undefined;
    child.on('message', (message) => {
      result = message as T;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result && code === 0) resolve(result);
      else reject(new Error(`the ${what} benchmark process exited with ${signal ?? `code ${code}`}`));
    });
  });
}
