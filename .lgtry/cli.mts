import { Command } from 'commander';
import { registerLabCommands } from '/work/main/src/cli/lab.ts';
const p = new Command('labgrade');
registerLabCommands(p);
await p.parseAsync(process.argv);
