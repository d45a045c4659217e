/**
 * Loads the roster: YAML (positions kept) -> zod -> cross-field checks -> ssh_config resolution.
 * Every problem is reported, each as `file:line:col: path: message`, so a teacher fixes the file in one go.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SSHConfig } from 'ssh-config';
import { defaultKnownHostsPath } from '../transport/known-hosts.ts';
import {
  defaultSshConfigPath,
  expandPath,
  loadSshConfig,
  parseJumpSpec,
  resolveSshHost,
  SshConfigError,
} from '../transport/ssh-config.ts';
import type { SshEndpoint } from '../transport/types.ts';
import {
  DEFAULT_LAB,
  rosterSchema,
  type LabParams,
  type NodeTarget,
  type Roster,
  type RosterInput,
  type Student,
} from './schema.ts';

export class RosterError extends Error {
  constructor(
    readonly problems: string[],
    readonly file?: string,
  ) {
    super(problems.join('\n'));
    this.name = 'RosterError';
  }
}

export interface LoadOptions {
  /** override the ssh_config file; null = use none (tests) */
  sshConfig?: string | null;
  env?: NodeJS.ProcessEnv;
}

/** --roster, else $LABGRADE_ROSTER, else ./roster.yaml */
export function defaultRosterPath(cli?: string, env: NodeJS.ProcessEnv = process.env): string {
  return cli || env.LABGRADE_ROSTER || 'roster.yaml';
}

type PathSeg = string | number;

/** students[2].nodes.node2.host; keys that are not plain words are quoted: weights["d1.pod"] */
export function formatPath(p: readonly PathSeg[]): string {
  let s = '';
  for (const seg of p) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) s += s === '' ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s === '' ? '(top level)' : s;
}

class Positions {
  constructor(
    private readonly doc: Document,
    private readonly lc: LineCounter,
  ) {}

  private at(offset: number): string {
    const { line, col } = this.lc.linePos(offset);
    return `${line}:${col}`;
  }

  /** the node at p, or the closest existing ancestor (for a missing key: the map that lacks it) */
  private nearest(p: readonly PathSeg[]): Node | undefined {
    for (let n = p.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(p.slice(0, n), true);
      if (node && typeof node === 'object' && 'range' in node && (node as Node).range) return node as Node;
    }
    return undefined;
  }

  value(p: readonly PathSeg[]): string {
    const n = this.nearest(p);
    return n?.range ? this.at(n.range[0]) : '1:1';
  }

  /** the key scalar of p's last segment (for unknown keys and bad record keys) */
  key(p: readonly PathSeg[]): string {
    const parent = p.length <= 1 ? this.doc.contents : this.doc.getIn(p.slice(0, -1), true);
    const last = p[p.length - 1];
    if (isMap(parent)) {
      for (const item of parent.items) {
        if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(last) && item.key.range) {
          return this.at(item.key.range[0]);
        }
      }
    }
    return this.value(p);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${String(v)}`;
}

function getAt(obj: unknown, p: readonly PathSeg[]): unknown {
  let cur = obj;
  for (const seg of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

interface Problem {
  pos: string;
  path: readonly PathSeg[];
  message: string;
}

interface ZIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  issues?: ZIssue[];
}

function zodProblems(issues: readonly ZIssue[], raw: unknown, pos: Positions): Problem[] {
  const out: Problem[] = [];
  for (const is of issues) {
    const p = is.path.filter((s): s is PathSeg => typeof s !== 'symbol');
    switch (is.code) {
      case 'unrecognized_keys':
        for (const k of is.keys ?? []) out.push({ pos: pos.key([...p, k]), path: [...p, k], message: 'unknown key' });
        break;
      case 'invalid_type': {
        const v = getAt(raw, p);
        out.push({
          pos: pos.value(p),
          path: p,
          message: v === undefined ? 'required' : `expected ${is.expected ?? 'another type'}, got ${describe(v)}`,
        });
        break;
      }
      case 'invalid_key':
        out.push({ pos: pos.key(p), path: p, message: is.issues?.[0]?.message ?? is.message });
        break;
      default:
        out.push({ pos: pos.value(p), path: p, message: is.message });
    }
  }
  return out;
}

/** Checks zod cannot express per element: uniqueness and references between sections. */
function crossProblems(raw: unknown, pos: Positions): Problem[] {
  const out: Problem[] = [];
  const r = (raw ?? {}) as Record<string, unknown>;
  const students = Array.isArray(r.students) ? (r.students as unknown[]) : [];
  const seen = new Map<string, number>();
  const nodeNames = new Set<string>();
  students.forEach((s, i) => {
    if (!s || typeof s !== 'object') return;
    const st = s as Record<string, unknown>;
    if (typeof st.id === 'string') {
      const first = seen.get(st.id);
      if (first !== undefined) {
        out.push({
          pos: pos.value(['students', i, 'id']),
          path: ['students', i, 'id'],
          message: `duplicate id ${JSON.stringify(st.id)} (also students[${first}])`,
        });
      } else seen.set(st.id, i);
    }
    if (st.nodes && typeof st.nodes === 'object' && !Array.isArray(st.nodes)) {
      for (const n of Object.keys(st.nodes)) nodeNames.add(n);
    }
  });
  const lab = (r.lab && typeof r.lab === 'object' ? r.lab : {}) as Record<string, unknown>;
  // A one-node roster (`labgrade check` on node2) legitimately lacks the exercise node.
  const oneNode = nodeNames.size === 1 && students.length === 1;
  if (nodeNames.size > 0) {
    const ex = typeof lab.exerciseNode === 'string' ? lab.exerciseNode : DEFAULT_LAB.exerciseNode;
    if (!nodeNames.has(ex) && !oneNode) {
      const given = typeof lab.exerciseNode === 'string';
      out.push({
        pos: pos.value(['lab', 'exerciseNode']),
        path: ['lab', 'exerciseNode'],
        message: `no student has a node named '${ex}'${given ? '' : ' (the default; set lab.exerciseNode)'}`,
      });
    }
    // Only a given control node is checked: a day-1/2 class need not have node1.
    if (typeof lab.controlNode === 'string' && !nodeNames.has(lab.controlNode) && !oneNode) {
      out.push({ pos: pos.value(['lab', 'controlNode']), path: ['lab', 'controlNode'], message: `no student has a node named '${lab.controlNode}'` });
    }
    if (lab.eth1 && typeof lab.eth1 === 'object' && !Array.isArray(lab.eth1)) {
      for (const n of Object.keys(lab.eth1)) {
        if (!nodeNames.has(n)) {
          out.push({ pos: pos.key(['lab', 'eth1', n]), path: ['lab', 'eth1', n], message: `no student has a node named '${n}'` });
        }
      }
    }
  }
  for (const [where, j] of jumpFields(r)) {
    try {
      for (const hop of j.split(',')) parseJumpSpec(hop);
    } catch (e) {
      out.push({ pos: pos.value(where), path: where, message: (e as Error).message });
    }
  }
  return out;
}

function jumpFields(r: Record<string, unknown>): [PathSeg[], string][] {
  const out: [PathSeg[], string][] = [];
  const d = r.defaults as Record<string, unknown> | undefined;
  if (d && typeof d.jump === 'string') out.push([['defaults', 'jump'], d.jump]);
  if (Array.isArray(r.students)) {
    r.students.forEach((s: unknown, i) => {
      const nodes = (s as Record<string, unknown> | null)?.nodes;
      if (!nodes || typeof nodes !== 'object') return;
      for (const [n, v] of Object.entries(nodes)) {
        const j = (v as Record<string, unknown> | null)?.jump;
        if (typeof j === 'string') out.push([['students', i, 'nodes', n, 'jump'], j]);
      }
    });
  }
  return out;
}

function localUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'root';
  }
}

/**
 * Resolves a ProxyJump value (`a,b` = through a, then b) into the endpoint chain, each hop through
 * ssh_config too. `fallbackIds` are offered after a hop's own IdentityFiles (usually the class key).
 */
function resolveJump(spec: string, cfg: SSHConfig | undefined, fallbackIds: string[], depth = 0): SshEndpoint {
  if (depth > 5) throw new SshConfigError(`ProxyJump chain too long at '${spec}' (loop?)`);
  const hops = spec.split(',').map((h) => h.trim());
  let prev: SshEndpoint | undefined;
  for (const hop of hops) {
    const js = parseJumpSpec(hop);
    const c = resolveSshHost(cfg, js.host);
    let ep: SshEndpoint = {
      alias: js.host,
      host: c.hostName,
      port: js.port ?? c.port ?? 22,
      user: js.user ?? c.user ?? localUser(),
      identities: dedupe([...c.identityFiles, ...fallbackIds]),
    };
    // The first hop may itself need a ProxyJump from ssh_config; later hops go through the previous one.
    if (prev) ep = { ...ep, jump: prev };
    else if (c.proxyJump) ep = { ...ep, jump: resolveJump(c.proxyJump, cfg, fallbackIds, depth + 1) };
    prev = ep;
  }
  if (!prev) throw new SshConfigError(`empty jump '${spec}'`);
  return prev;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

export function loadRoster(file: string, opts: LoadOptions = {}): Roster {
  const env = opts.env ?? process.env;
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new RosterError(
      [`${file}: cannot read roster: ${why} (give --roster FILE or set LABGRADE_ROSTER)`],
      file,
    );
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RosterError(
      doc.errors.map((e) => {
        const { line, col } = lc.linePos(e.pos[0]);
        return `${file}:${line}:${col}: YAML: ${e.message.split('\n')[0]}`;
      }),
      file,
    );
  }
  const raw: unknown = doc.toJS();
  const pos = new Positions(doc, lc);
  const problems: Problem[] = [];
  const parsed = rosterSchema.safeParse(raw ?? {});
  if (!parsed.success) problems.push(...zodProblems(parsed.error.issues as unknown as ZIssue[], raw, pos));
  problems.push(...crossProblems(raw, pos));

  const dir = path.dirname(abs);
  let sshConfigPath: string | undefined;
  let sshCfg: SSHConfig | undefined;
  const given = (raw as RosterInput | undefined)?.defaults?.sshConfig;
  if (opts.sshConfig !== undefined) sshConfigPath = opts.sshConfig ?? undefined;
  else if (typeof given === 'string') sshConfigPath = expandPath(given, dir);
  else sshConfigPath = defaultSshConfigPath();
  if (sshConfigPath !== undefined) {
    try {
      sshCfg = loadSshConfig(sshConfigPath);
    } catch (e) {
      const where: PathSeg[] = ['defaults', 'sshConfig'];
      problems.push({ pos: pos.value(where), path: where, message: (e as Error).message });
    }
  }

  let students: Student[] = [];
  let lab: LabParams = { ...DEFAULT_LAB, apiServer: defaultApiServer(DEFAULT_LAB.controlNode, DEFAULT_LAB.eth1) };
  let knownHosts = defaultKnownHostsPath(env);
  if (parsed.success) {
    const r = parsed.data;
    const d = r.defaults ?? {};
    knownHosts = d.knownHosts ? expandPath(d.knownHosts, dir) : defaultKnownHostsPath(env);
    lab = {
      exerciseNode: r.lab?.exerciseNode ?? DEFAULT_LAB.exerciseNode,
      eth1: { ...DEFAULT_LAB.eth1, ...(r.lab?.eth1 ?? {}) },
      kubeYamlDir: r.lab?.kubeYamlDir ?? DEFAULT_LAB.kubeYamlDir,
      weights: { ...(r.lab?.weights ?? {}) },
      controlNode: r.lab?.controlNode ?? DEFAULT_LAB.controlNode,
      hostnames: { ...DEFAULT_LAB.hostnames, ...(r.lab?.hostnames ?? {}) },
      apiServer: r.lab?.apiServer ?? defaultApiServer(r.lab?.controlNode ?? DEFAULT_LAB.controlNode, { ...DEFAULT_LAB.eth1, ...(r.lab?.eth1 ?? {}) }),
    };
    students = r.students.map((s, i) => ({
      id: s.id,
      ...(s.name !== undefined ? { name: s.name } : {}),
      nodes: Object.entries(s.nodes).map(([node, n]) => {
        const where: PathSeg[] = ['students', i, 'nodes', node];
        // Precedence: the node's own fields, then roster defaults, then ssh_config, then built-ins.
        // The roster is the explicit, per-class file; ssh_config fills in what it does not say.
        const c = (() => {
          try {
            return resolveSshHost(sshCfg, n.host);
          } catch (e) {
            problems.push({ pos: pos.value(where), path: [...where, 'host'], message: (e as Error).message });
            return resolveSshHost(undefined, n.host);
          }
        })();
        const rosterId = n.identity ?? d.identity;
        const identities = dedupe([...(rosterId ? [expandPath(rosterId, dir)] : []), ...c.identityFiles]);
        const t: NodeTarget = {
          student: s.id,
          node,
          alias: n.host,
          host: c.hostName,
          port: n.port ?? d.port ?? c.port ?? 22,
          user: n.user ?? d.user ?? c.user ?? 'root',
          identities,
          sudo: n.sudo ?? d.sudo ?? false,
          knownHosts,
        };
        if (identities[0] !== undefined) t.identity = identities[0];
        const passwordEnv = n.passwordEnv ?? d.passwordEnv;
        if (passwordEnv) t.passwordEnv = passwordEnv;
        const jumpSpec = n.jump ?? d.jump ?? c.proxyJump;
        if (jumpSpec) {
          try {
            // Like `ssh -i KEY -J ...`: the roster's key is offered to the jump too, the node's own
            // ssh_config IdentityFile is not (it belongs to the node's Host block).
            t.jump = resolveJump(jumpSpec, sshCfg, rosterId ? [expandPath(rosterId, dir)] : []);
          } catch (e) {
            const jw: PathSeg[] = n.jump ? [...where, 'jump'] : d.jump ? ['defaults', 'jump'] : [...where, 'host'];
            problems.push({ pos: pos.value(jw), path: jw, message: (e as Error).message });
          }
        }
        return t;
      }),
    }));
  }

  if (problems.length > 0) {
    // Line order reads like the file; the same position+message from two sources appears once.
    const lines = problems
      .map((p) => ({ ...p, sortKey: p.pos.split(':').map(Number) }))
      .sort((a, b) => (a.sortKey[0] ?? 0) - (b.sortKey[0] ?? 0) || (a.sortKey[1] ?? 0) - (b.sortKey[1] ?? 0))
      .map((p) => `${file}:${p.pos}: ${formatPath(p.path)}: ${p.message}`);
    throw new RosterError(dedupe(lines), file);
  }
  return {
    path: abs,
    lab,
    knownHosts,
    ...(sshConfigPath !== undefined ? { sshConfig: sshConfigPath } : {}),
    students,
  };
}

/** kubeadm init --apiserver-advertise-address=<control node's eth1> and the default bind port 6443. */
export function defaultApiServer(controlNode: string, eth1: Record<string, string>): string {
  const cidr = eth1[controlNode];
  return `${cidr ? cidr.split('/')[0] : '192.168.90.110'}:6443`;
}
