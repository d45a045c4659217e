/**
 * The roster (class file) schema. Messages are short and fixed because they are shown as
 * `file:line:col: path: message` and tested verbatim.
 */
import { z } from 'zod';
import type { SshEndpoint } from '../transport/types.ts';

// Ids and node names become file names (students/<id>.xml), report columns and terminal text: a letter or
// digit first (no `-1` read as an option or a formula, no `.`/`..`), then a short run of safe characters.
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME_RULE = 'a letter or digit, then up to 63 of [A-Za-z0-9._-]';
// The name of an environment variable holding a password: never the password itself.
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be the name of an environment variable (the password itself never goes in the roster)');

/** a.b.c.d/n with octets 0-255 and prefix 0-32 */
export function isCidr4(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (!m) return false;
  const nums = m.slice(1).map(Number);
  return nums.slice(0, 4).every((o) => o <= 255) && (nums[4] ?? 99) <= 32;
}

const port = z
  .number()
  .int('must be an integer 1-65535')
  .min(1, 'must be an integer 1-65535')
  .max(65535, 'must be an integer 1-65535');

const host = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => !/[\s@/]/.test(s), 'must be a host name, address or ssh_config alias (put the user in `user`)');

const user = z.string().min(1, 'must not be empty').regex(/^[^\s@:]+$/, 'must be a user name');
const filePath = z.string().min(1, 'must not be empty');
const jump = z.string().min(1, 'must not be empty');

export const nodeSchema = z.strictObject({
  host,
  user: user.optional(),
  port: port.optional(),
  identity: filePath.optional(),
  jump: jump.optional(),
  sudo: z.boolean().optional(),
  passwordEnv: envName.optional(),
});

export const defaultsSchema = z.strictObject({
  user: user.optional(),
  port: port.optional(),
  identity: filePath.optional(),
  knownHosts: filePath.optional(),
  jump: jump.optional(),
  sudo: z.boolean().optional(),
  sshConfig: filePath.optional(),
  passwordEnv: envName.optional(),
});

export const DEFAULT_LAB = {
  exerciseNode: 'node1',
  eth1: { node1: '192.168.90.110/24', node2: '192.168.90.120/24', node3: '192.168.90.130/24' } as Record<string, string>,
  kubeYamlDir: '/root',
  weights: {} as Record<string, number>,
  /** days 3-5: the node kubeadm init runs on (outcomes.md: node1 becomes control1) */
  controlNode: 'node1',
  /** days 2-5: each node's hostname, which is its Kubernetes node name (outcomes.md, d2.hosts) */
  hostnames: { node1: 'control1.example.com', node2: 'worker1.example.com', node3: 'worker2.example.com' } as Record<string, string>,
};

export const labSchema = z.strictObject({
  exerciseNode: z.string().regex(NAME_RE, `must be a node name (${NAME_RULE})`).optional(),
  eth1: z
    .record(
      z.string().regex(NAME_RE, `must be a node name (${NAME_RULE})`),
      z.string().refine(isCidr4, 'must be an IPv4 address with prefix, like 192.168.90.110/24'),
    )
    .optional(),
  kubeYamlDir: z.string().startsWith('/', 'must be an absolute path').optional(),
  weights: z.record(z.string().min(1), z.number().min(0, 'must be a number >= 0')).optional(),
  controlNode: z.string().regex(NAME_RE, 'must be a node name').optional(),
  hostnames: z
    .record(z.string().regex(NAME_RE, 'must be a node name'), z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'must be a host name'))
    .optional(),
  apiServer: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port, like 192.168.90.110:6443')
    .optional(),
});

export const studentSchema = z.strictObject({
  id: z.string().regex(NAME_RE, `must be ${NAME_RULE}`),
  name: z.string().optional(),
  nodes: z
    .record(z.string().regex(NAME_RE, `must be a node name (${NAME_RULE})`), nodeSchema)
    .refine((r) => Object.keys(r).length > 0, 'at least one node required'),
});

export const rosterSchema = z.strictObject({
  defaults: defaultsSchema.optional(),
  lab: labSchema.optional(),
  students: z.array(studentSchema).min(1, 'at least one student required'),
});

export type RosterInput = z.infer<typeof rosterSchema>;

/** One node of one student, ready for openTransport(). */
export interface NodeTarget extends SshEndpoint {
  student: string;
  node: string;
  /** the first identity file (also in `identities`) */
  identity?: string;
  /** log in as a non-root user and wrap commands in `sudo -n` */
  sudo: boolean;
  /** the known_hosts file for this class */
  knownHosts: string;
}

export interface Student {
  id: string;
  name?: string;
  /** in roster order */
  nodes: NodeTarget[];
}

export interface LabParams {
  exerciseNode: string;
  /** node name -> address/prefix expected on eth1 */
  eth1: Record<string, string>;
  kubeYamlDir: string;
  /** check id -> weight (checks not listed weigh 1) */
  weights: Record<string, number>;
  /** the control-plane node (days 3-5) */
  controlNode: string;
  /** node name -> hostname (= Kubernetes node name) */
  hostnames: Record<string, string>;
  /** the API server as nodes reach it; default: the control node's eth1 address, port 6443 */
  apiServer: string;
}

export interface Roster {
  /** absolute path of the roster file */
  path: string;
  lab: LabParams;
  knownHosts: string;
  /** the ssh_config file that was applied, if any */
  sshConfig?: string;
  students: Student[];
}
