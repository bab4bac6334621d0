#!/usr/bin/env node
// The `cairn` command: loads the TypeScript sources through tsx's ESM loader.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
