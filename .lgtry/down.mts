import { labDown } from '/work/main/src/lab/index.ts';
await labDown('/work/main/.lab', { log: console.log });
