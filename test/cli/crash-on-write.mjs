// Loaded with `node --import` into a real `labgrade` process by test/cli/cli.int.test.ts: when the CLI writes a
// file whose name starts with $LG_CRASH_WRITING, it writes half of the content and the process dies (SIGKILL), as
// a power cut or an OOM kill would leave it. Everything else is the unchanged CLI.
import { writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

const target = process.env.LG_CRASH_WRITING;
const writeFile = fsp.writeFile;
fsp.writeFile = async function (file, data, ...rest) {
  if (target && typeof file === 'string' && basename(file).startsWith(target)) {
    const text = String(data);
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    process.kill(process.pid, 'SIGKILL');
  }
  return writeFile.call(this, file, data, ...rest);
};
// named imports (`import { writeFile } from 'node:fs/promises'`) see the patched function too
syncBuiltinESMExports();
