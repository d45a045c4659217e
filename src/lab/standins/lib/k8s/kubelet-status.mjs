// Not @ts-check: small glue.
// The kubelet's node status, as the API server sees it: a running kubelet posts it, a stopped one
// stops posting and the node lifecycle controller marks the node Unknown (NodeStatusUnknown). The
// systemctl stand-in calls this when kubelet starts or stops on a node that has joined (kubelet.conf).
// Usage: kubelet-status.mjs running|stopped
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { at } from '../common.mjs';
import { post } from './client.mjs';

const conf = at('/etc/kubernetes/kubelet.conf');
if (existsSync(conf)) {
  const server = /server: https?:\/\/(\S+)/.exec(readFileSync(conf, 'utf8'))?.[1];
  const name = (spawnSync('hostname', [], { encoding: 'utf8' }).stdout || '').trim().toLowerCase();
  if (server && name) await post(server, '/lg/kubelet', { name, running: process.argv[2] === 'running' }, 2000);
}
