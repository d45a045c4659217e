/**
 * d1.kube-yaml: `podman generate kube pod1 --service --filename pod1.yaml` left a multi-document
 * YAML (a `# Created with podman-X` header, a Service, `---`, the Pod) in a directory.
 */
import { parseAllDocuments } from 'yaml';
import { type Probe, ProbeParseError } from './types.ts';
import { dumpFiles, isRecord, needSection, parseDump, parseSections, section, shq, stripTrailing, subshell } from './util.ts';

export interface KubeDoc {
  kind?: string;
  name?: string;
  error?: string;
}

export interface KubeYamlFact {
  path: string;
  dirExists: boolean;
  exists: boolean;
  /** from the `# Created with podman-X` header */
  podmanVersion?: string;
  docs: KubeDoc[];
  /** files in the directory that look like a slip of the name (pod1.yml, Pod1.yaml, pod1.yaml.txt) */
  nearMisses: string[];
  /** a YAML syntax error anywhere */
  error?: string;
}

export function parseKubeYaml(content: string): Pick<KubeYamlFact, 'docs' | 'podmanVersion' | 'error'> {
  const v = /^#\s*Created with podman-(\S+)/m.exec(content);
  const docs: KubeDoc[] = [];
  let error: string | undefined;
  for (const d of parseAllDocuments(content)) {
    if (d.errors.length) {
      const msg = d.errors[0]!.message.split('\n')[0]!;
      error ??= msg;
      docs.push({ error: msg });
      continue;
    }
    const js: unknown = d.toJS();
    if (js === null || js === undefined) continue;
    if (!isRecord(js)) {
      docs.push({ error: 'document is not a mapping' });
      continue;
    }
    const meta = isRecord(js.metadata) ? js.metadata : {};
    docs.push({
      ...(typeof js.kind === 'string' ? { kind: js.kind } : {}),
      ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
    });
  }
  return { docs, ...(v ? { podmanVersion: v[1] } : {}), ...(error ? { error } : {}) };
}

function stem(n: string): string {
  return n.toLowerCase().replace(/\.(ya?ml)(\..*)?$/, '');
}

export function kubeYaml(dir = '/root', name = 'pod1.yaml'): Probe<KubeYamlFact> {
  if (!dir.startsWith('/') || /[\n'"]/.test(dir)) throw new Error(`kubeYaml: bad dir ${dir}`);
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`kubeYaml: bad name ${name}`);
  const path = `${stripTrailing(dir, '/')}/${name}`;
  const key = `kube-yaml:${path}`;
  const body = [
    section('ls', `ls -1A -- ${shq(dir)}`),
    section('file', dumpFiles([shq(path)])),
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const sections = parseSections(key, out.stdout);
      const ls = needSection(key, sections, 'ls');
      const files = parseDump(needSection(key, sections, 'file').text);
      const f = files[0];
      if (f && f.path !== path) throw new ProbeParseError(key, `dumped ${f.path}, wanted ${path}`);
      const listing = ls.code === 0 ? ls.text.split('\n').filter(Boolean) : [];
      const want = stem(name);
      const nearMisses = listing.filter((n) => n !== name && stem(n) === want);
      const fact: KubeYamlFact = { path, dirExists: ls.code === 0, exists: f !== undefined, docs: [], nearMisses };
      return f ? { ...fact, ...parseKubeYaml(f.content) } : fact;
    },
  };
}
