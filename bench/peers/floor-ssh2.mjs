#!/usr/bin/env node
// Floor (b): one plain Node process (no tsx, no Vitest), ssh2, one connection per node, all nodes at once.
// Usage: node bench/peers/floor-ssh2.mjs COMMANDS.json [batch|split]
//   batch: every command of the node in ONE framed `bash -s` script on one channel (the brief's floor);
//   split: gather.ts's layout: light commands in one script, each heavy command on its own channel.
// Host keys are checked against the lab's known_hosts (as labgrade does). Prints one summary line.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Client, utils } = require('ssh2');

const [file, mode = 'batch'] = process.argv.slice(2);
if (!file || !['batch', 'split'].includes(mode)) {
  console.error('usage: floor-ssh2.mjs COMMANDS.json [batch|split]');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(file, 'utf8'));
const privateKey = readFileSync(spec.identity);

/** known_hosts: "host[,host] type base64" or "[host]:port type base64" -> Set of "host:port base64" */
const known = new Set();
for (const line of readFileSync(spec.knownHosts, 'utf8').split('\n')) {
  const [names, , blob] = line.trim().split(/\s+/);
  if (!names || !blob || names.startsWith('#')) continue;
  for (const n of names.split(',')) {
    const m = /^\[(.+)\]:(\d+)$/.exec(n);
    known.add(`${m ? m[1] : n}:${m ? m[2] : '22'} ${blob}`);
  }
}

function exec(conn, script) {
  return new Promise((resolve, reject) => {
    conn.exec('bash -s', (err, ch) => {
      if (err) return reject(err);
      let out = 0;
      let errb = 0;
      let code = null;
      ch.on('data', (d) => (out += d.length));
      ch.stderr.on('data', (d) => (errb += d.length));
      ch.on('exit', (c) => (code = c));
      ch.on('close', () => resolve({ out, err: errb, code }));
      ch.end(script);
    });
  });
}

function runHost(h) {
  return new Promise((resolve) => {
    const conn = new Client();
    const t0 = performance.now();
    const done = (r) => {
      conn.end();
      resolve({ name: h.name, ms: performance.now() - t0, ...r });
    };
    conn.on('ready', async () => {
      try {
        const scripts = mode === 'batch' ? [h.script] : [...(h.commands.some((c) => !c.heavy) ? [h.lightScript] : []), ...h.heavyScripts];
        const rs = await Promise.all(scripts.map((s) => exec(conn, s)));
        done({ ok: true, bytes: rs.reduce((a, r) => a + r.out + r.err, 0) });
      } catch (e) {
        done({ ok: false, error: String(e) });
      }
    });
    conn.on('error', (e) => done({ ok: false, error: String(e) }));
    conn.connect({
      host: h.host,
      port: h.port,
      username: spec.user,
      privateKey,
      readyTimeout: 20_000,
      hostVerifier: (key) => known.has(`${h.host}:${h.port} ${key.toString('base64')}`),
    });
  });
}

void utils;
const t0 = performance.now();
const results = await Promise.all(spec.hosts.map(runHost));
const bad = results.filter((r) => !r.ok);
const slowest = results.reduce((a, r) => (r.ms > a.ms ? r : a), results[0]);
console.log(
  JSON.stringify({
    tool: 'floor-ssh2',
    mode,
    hosts: results.length,
    failed: bad.length,
    errors: bad.slice(0, 3).map((r) => `${r.name}: ${r.error}`),
    bytes: results.reduce((a, r) => a + (r.bytes ?? 0), 0),
    slowestHost: slowest ? { name: slowest.name, ms: Math.round(slowest.ms) } : null,
    ms: Math.round(performance.now() - t0),
  }),
);
process.exit(bad.length ? 1 : 0);
