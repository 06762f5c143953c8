#!/usr/bin/env node
// The built CLI when present (installed package), else the TypeScript sources (a checkout, Node ≥ 22.18).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
await import(existsSync(built) ? built.href : new URL('../src/cli.ts', import.meta.url).href);
