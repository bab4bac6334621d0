// A sandbox thread: loads QuickJS (WebAssembly, shipped in the npm package: nothing is downloaded)
// once, then runs one job at a time. It runs off the engine's event loop, so a job that spins or
// thrashes its heap delays no other run; the pool ends the thread if a job outlives its budget.
import { parentPort, workerData } from 'node:worker_threads';
import base from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSSyncVariant } from 'quickjs-emscripten-core';
import { runJob } from './quickjs-job.js';
import type { SandboxJob, SandboxOutcome, SandboxReply } from './sandbox-protocol.js';

const port = parentPort;
if (!port) throw new Error('sandbox-thread.ts runs as a worker thread');

const PAGE = 64 * 1024;
/** What the module itself needs besides the heap the cap allows (its initial 16 MB, stack, data). */
const BASELINE_BYTES = 32 * 1024 * 1024;
const { memoryBytes } = workerData as { memoryBytes: number };
// QuickJS's own allocator limit does not count every allocation (large ArrayBuffers and strings
// slip past it), so the WebAssembly memory itself is capped: past it, allocation fails inside QuickJS.
const memory = new WebAssembly.Memory({ initial: 256, maximum: Math.ceil((memoryBytes + BASELINE_BYTES) / PAGE) });
const module = await newQuickJSWASMModuleFromVariant(newVariant(base as unknown as QuickJSSyncVariant, { wasmMemory: memory }));

function hostFailure(error: unknown): SandboxOutcome {
  const message = String((error as Error)?.message ?? error);
  // Near the memory's maximum, a failed allocation surfaces as a trap rather than QuickJS's own error.
  if (memory.buffer.byteLength + 2 * 1024 * 1024 >= memoryBytes + BASELINE_BYTES || /OOM|enlarge memory/.test(message)) {
    return { ok: false, code: 'CODE_MEMORY_LIMIT', message: `the code used more than its memory cap of ${Math.round(memoryBytes / 1024 / 1024)} MB (CAIRN_CODE_MEMORY_MB)`, logs: [] };
  }
  if (/call stack/i.test(message)) return { ok: false, code: 'CODE_STACK_OVERFLOW', message: 'the code recursed too deeply (stack overflow)', logs: [] };
  return { ok: false, code: 'CODE_SANDBOX_FAILED', message: `the sandbox failed while running the code: ${message.slice(0, 300)}`, logs: [] };
}

port.on('message', (job: SandboxJob) => {
  let reply: SandboxReply;
  try {
    const { outcome, retire } = runJob(module, job);
    reply = { id: job.id, outcome, retire };
  } catch (error) {
    // The module failed under the job: it may be unsound now, so this thread answers and is replaced.
    reply = { id: job.id, outcome: hostFailure(error), retire: true };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
