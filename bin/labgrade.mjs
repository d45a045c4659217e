#!/usr/bin/env node
// `npx labgrade`: loads the TypeScript CLI through tsx's loader in this same process (no build step,
// no second Node start).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exit(await main(process.argv));
