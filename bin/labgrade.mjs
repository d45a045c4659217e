#!/usr/bin/env node
// `npx labgrade`: runs the compiled CLI (dist/, `npm run build`, which `prepare` runs on `npm ci`, `npm install`
// in a clone and `npm pack`), with source maps so errors point at the TypeScript. A transpile at every start
// (tsx) costs ~0.3-0.7 s of CPU and a loader thread; it is only the fallback for a clone whose src/ or checks/
// changed after the last build (or that was never built), so a stale dist/ never runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/src/cli/main.js`;

/** newest mtime (ms) of the .ts files under dir; the npm tarball gives every file the same mtime */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (e.name !== 'standins') t = Math.max(t, newest(`${dir}/${e.name}`));
    } else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(`${dir}/${e.name}`).mtimeMs);
  }
  return t;
}

function fresh() {
  if (!existsSync(built)) return false;
  if (!existsSync(`${root}src`)) return true;
  const builtAt = statSync(built).mtimeMs;
  return newest(`${root}src`) <= builtAt && newest(`${root}checks`) <= builtAt;
}

let main;
if (fresh()) {
  process.setSourceMapsEnabled(true);
  ({ main } = await import(built));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exit(await main(process.argv));
