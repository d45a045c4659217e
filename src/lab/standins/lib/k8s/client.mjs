// Not @ts-check: Kubernetes objects are untyped JSON here, as in kubectl's unstructured client.
// What kubectl and kubeadm do on a node before talking to the API server: find the kubeconfig
// (client-go tools/clientcmd/loader.go, reference §7), pick the current context, and reach the server
// over the course network. Error texts: kubectl pkg/cmd/util/helpers.go (reference §0, §2).
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { at } from '../common.mjs';
import { yamlLib } from './yaml.mjs';

/** The kubeconfig files kubectl reads, in order: --kubeconfig alone, else $KUBECONFIG's list, else ~/.kube/config. */
export function kubeconfigPaths(explicit) {
  if (explicit) return { paths: [explicit], explicit: true };
  const env = process.env.KUBECONFIG;
  if (env) return { paths: [...new Set(env.split(':').filter(Boolean))], explicit: false, fromEnv: true };
  return { paths: [`${process.env.HOME || '/root'}/.kube/config`], explicit: false };
}

/**
 * Merged kubeconfig: the first file to set a map entry wins (loader.go), missing files skipped.
 * @returns {Promise<{ config: any, files: { path: string, config: any }[], missing: string[], error?: string }>}
 */
export async function loadKubeconfig(explicit) {
  const y = await yamlLib();
  const { paths } = kubeconfigPaths(explicit);
  const files = [];
  const missing = [];
  for (const p of paths) {
    if (!existsSync(at(p))) {
      if (explicit) return { config: undefined, files, missing, error: `error: stat ${p}: no such file or directory` };
      missing.push(p);
      continue;
    }
    try {
      files.push({ path: p, config: y.parse(readFileSync(at(p), 'utf8')) ?? {} });
    } catch (e) {
      return { config: undefined, files, missing, error: `error: error loading config file "${p}": ${String(/** @type {Error} */ (e).message).split('\n')[0]}` };
    }
  }
  const merged = { clusters: [], users: [], contexts: [], 'current-context': '' };
  for (const f of files) {
    for (const k of ['clusters', 'users', 'contexts']) {
      for (const e of f.config[k] ?? []) if (!merged[k].some((x) => x.name === e.name)) merged[k].push(e);
    }
    if (!merged['current-context'] && f.config['current-context']) merged['current-context'] = f.config['current-context'];
  }
  return { config: merged, files, missing };
}

/** Where the current context points: server host:port, namespace, the CA id in the kubeconfig. */
export function target(config, contextOverride) {
  const name = contextOverride ?? config?.['current-context'];
  const ctx = config?.contexts?.find((c) => c.name === name)?.context;
  const cluster = ctx ? config.clusters.find((c) => c.name === ctx.cluster)?.cluster : undefined;
  if (!cluster?.server) return { host: 'localhost:8080', namespace: 'default', ca: undefined };
  const host = String(cluster.server).replace(/^https?:\/\//, '').split('/')[0];
  return { host, namespace: ctx.namespace || 'default', ca: caIdOf(cluster['certificate-authority-data']) };
}

/** The lab's CA "certificate" carries its id on a line of its own (see kubeadm's writeKubeconfig). */
export function caIdOf(data) {
  if (!data) return undefined;
  const pem = Buffer.from(String(data), 'base64').toString('utf8');
  const m = /labgrade-ca-id: (\S+)/.exec(pem);
  return m ? m[1] : '';
}

/**
 * POSTs to the API server stand-in. Network failures come back as kubectl's texts.
 * @returns {Promise<{ ok: true, status: number, body: any } | { ok: false, message: string }>}
 */
export function post(host, path, payload, timeoutMs = 30_000) {
  const [hostname, port] = host.split(':');
  return new Promise((resolve) => {
    const req = request({ host: hostname, port: Number(port || 443), method: 'POST', path, headers: { 'content-type': 'application/json' }, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ ok: true, status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch {
          resolve({ ok: false, message: 'Unable to connect to the server: unexpected EOF' });
        }
      });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, message: `Unable to connect to the server: dial tcp ${host}: i/o timeout` });
    });
    req.on('error', (/** @type {NodeJS.ErrnoException} */ e) => {
      if (e.code === 'ECONNREFUSED') resolve({ ok: false, message: `The connection to the server ${host} was refused - did you specify the right host or port?` });
      else if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') resolve({ ok: false, message: `Unable to connect to the server: dial tcp ${host}: connect: ${e.code === 'EHOSTUNREACH' ? 'no route to host' : 'network is unreachable'}` });
      else resolve({ ok: false, message: `Unable to connect to the server: dial tcp ${host}: ${e.message}` });
    });
    req.end(JSON.stringify(payload));
  });
}

/** kubectl's text for a CA the server does not present (after a re-`kubeadm init`, reference §2). */
export const X509 =
  'Unable to connect to the server: x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "kubernetes")';
