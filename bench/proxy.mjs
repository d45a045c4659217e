#!/usr/bin/env node
// A delaying TCP proxy for the benchmark's "real latency" section: this kernel has no netem, so latency
// is added in user space. Every chunk read on one side is written to the other side `delay` ms later, in
// each direction, in the order it arrived (one FIFO queue per direction; the delay is fixed, so due times
// never go backwards). RTT = 2 x delay (plus loopback's ~0). Back-pressure is not modelled: sshd and the
// graders send little.
// Usage: node bench/proxy.mjs MAP.json DELAY_MS
//   MAP.json: [{ "listen": "127.96.1.1", "target": "127.86.1.1", "port": 22 }, ...]
// Prints "ready N" on stdout once every listener is bound; runs until killed (SIGTERM).
// Network: listens and connects only on the loopback addresses given (the bench gives lab addresses).
import { readFileSync } from 'node:fs';
import net from 'node:net';

const [mapFile, delayArg] = process.argv.slice(2);
const delay = Number(delayArg);
if (!mapFile || !Number.isFinite(delay) || delay < 0) {
  process.stderr.write('usage: proxy.mjs MAP.json DELAY_MS\n');
  process.exit(2);
}
const map = JSON.parse(readFileSync(mapFile, 'utf8'));
for (const m of map) {
  for (const a of [m.listen, m.target]) if (!/^127\.\d+\.\d+\.\d+$/.test(a)) throw new Error(`not a loopback address: ${a}`);
}

/** A one-way pipe that delivers each chunk `delay` ms after it arrived, in order. */
function delayed(from, to) {
  const queue = [];
  let timer = null;
  const pump = () => {
    timer = null;
    const now = performance.now();
    while (queue.length && queue[0].due <= now + 0.5) {
      const { data } = queue.shift();
      if (!to.destroyed) to.write(data);
    }
    if (queue.length) timer = setTimeout(pump, Math.max(0, queue[0].due - performance.now()));
    else if (ended && !to.destroyed) to.end();
  };
  let ended = false;
  from.on('data', (data) => {
    if (delay === 0) return void to.write(data);
    queue.push({ due: performance.now() + delay, data });
    if (!timer) timer = setTimeout(pump, delay);
  });
  from.on('end', () => {
    ended = true;
    if (delay === 0 || (!queue.length && !timer)) to.end();
  });
}

let ready = 0;
for (const m of map) {
  const server = net.createServer((client) => {
    client.setNoDelay(true);
    const upstream = net.connect({ host: m.target, port: m.port });
    upstream.setNoDelay(true);
    delayed(client, upstream);
    delayed(upstream, client);
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', kill);
    upstream.on('error', kill);
    client.on('close', () => setTimeout(() => upstream.destroy(), delay + 50));
    upstream.on('close', () => setTimeout(() => client.destroy(), delay + 50));
  });
  server.on('error', (e) => {
    process.stderr.write(`proxy ${m.listen}:${m.port}: ${e.message}\n`);
    process.exit(1);
  });
  server.listen({ host: m.listen, port: m.port, backlog: 511 }, () => {
    if (++ready === map.length) process.stdout.write(`ready ${ready}\n`);
  });
}
process.on('SIGTERM', () => process.exit(0));
