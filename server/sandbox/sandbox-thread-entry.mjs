// The sandbox thread's entry: a worker thread does not inherit the process's TypeScript loader, so it
// registers tsx itself (as bin/cairn.js does) before loading the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./sandbox-thread.ts');
