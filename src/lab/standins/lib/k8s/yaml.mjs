// Not @ts-check: Kubernetes objects are untyped JSON here, as in kubectl's unstructured client.
// The `yaml` npm package for the Kubernetes stand-ins. Inside a node the clone's node_modules may be
// hidden (a clone under /tmp or /root), so the lab copies the package into <lab>/shared/node_modules.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { STANDINS_DIR, config } from '../common.mjs';

/** @type {any} */
let lib;

/** @returns {Promise<{ parse: (s: string) => any, parseAllDocuments: (s: string) => any[], stringify: (v: any, o?: any) => string }>} */
export async function yamlLib() {
  if (lib) return lib;
  const shared = config('LG_LAB_SHARED');
  const candidates = [
    ...(shared ? [join(shared, 'node_modules/yaml/dist/index.js')] : []),
    join(STANDINS_DIR, '../../../node_modules/yaml/dist/index.js'),
  ];
  for (const c of candidates) {
    if (existsSync(c)) {
      const m = await import(c);
      lib = m.default ?? m;
      return lib;
    }
  }
  throw new Error(`labgrade stand-in: the yaml library is not in ${candidates.join(' or ')}`);
}
