// `labgrade lab up | down | status | ssh`: thin wrappers over src/lab.
import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { LAB_STATES as STATES, type LabState, labDown, labStatus, labUp, openLab, sshCommand } from '../lab/index.ts';

function fail(e: unknown): never {
  process.stderr.write(`labgrade lab: ${(e as Error).message}\n`);
  process.exit(1);
}

export function registerLabCommands(program: Command): void {
  const lab = program
    .command('lab')
    .description('a simulated class of Rocky 9 nodes on this machine (namespaces + real sshd on 127.77.x.y)')
    .option('--dir <path>', 'lab directory (default $LABGRADE_LAB_DIR, else <repo>/.lab, or /var/lib/lg/<hash> when the clone is under /tmp, /root or another dir the nodes replace)');
  const dirOf = (): string | undefined => lab.opts<{ dir?: string }>().dir;

  lab
    .command('up')
    .description('start N students x node1..3 and write roster.yaml, the lab key and known_hosts')
    .option('-n, --students <n>', 'number of students', '2')
    .option('-s, --state <state>', `what the nodes look like: ${STATES.join('|')}`, 'fresh')
    .option('-j, --concurrency <n>', 'nodes started at once')
    .option('--json', 'print the result (paths, timings) as JSON')
    .action(async (o: { students: string; state: string; concurrency?: string; json?: boolean }) => {
      if (!STATES.includes(o.state as LabState)) fail(new Error(`--state must be one of ${STATES.join(', ')}`));
      try {
        const l = await labUp({
          students: Number(o.students),
          state: o.state as LabState,
          dir: dirOf(),
          concurrency: o.concurrency ? Number(o.concurrency) : undefined,
          log: o.json ? undefined : (line) => process.stderr.write(`${line}\n`),
        });
        const st = await labStatus(l.dir);
        const rss = st.nodes.reduce((a, n) => a + n.rssKiB, 0);
        const pss = st.nodes.reduce((a, n) => a + n.pssKiB, 0);
        const memory = { rssKiBPerNode: Math.round(rss / l.nodes.length), pssKiBPerNode: Math.round(pss / l.nodes.length) };
        if (o.json) {
          process.stdout.write(
            JSON.stringify({ dir: l.dir, roster: l.rosterPath, key: l.keyPath, knownHosts: l.knownHostsPath, timings: l.timings, memory, plan: l.plan }, null, 2) + '\n',
          );
        } else {
          process.stdout.write(
            `roster: ${l.rosterPath}\nkey: ${l.keyPath}\nknown_hosts: ${l.knownHostsPath}\n` +
              `${l.nodes.length} nodes up in ${((l.timings?.totalMs ?? 0) / 1000).toFixed(1)} s; memory per node: ` +
              `${(memory.rssKiBPerNode / 1024).toFixed(1)} MiB RSS, ${(memory.pssKiBPerNode / 1024).toFixed(1)} MiB PSS\n`,
          );
          if (l.state === 'mixed') for (const p of l.plan) process.stdout.write(`  ${p.student}: ${p.note}\n`);
        }
      } catch (e) {
        fail(e);
      }
    });

  lab
    .command('down')
    .description('stop every node, remove namespaces, mounts and node files (safe to run twice)')
    .option('--purge', 'also remove the shared build cache, host keys and the lab key')
    .action(async (o: { purge?: boolean }) => {
      try {
        await labDown(dirOf(), { purge: o.purge, log: (l) => process.stderr.write(`${l}\n`) });
      } catch (e) {
        fail(e);
      }
    });

  lab
    .command('status')
    .description('what is up, per node: running, sshd listening, processes, memory')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      try {
        const st = await labStatus(dirOf());
        if (o.json) return void process.stdout.write(JSON.stringify(st, null, 2) + '\n');
        if (!st.nodes.length) process.stdout.write(`no class up in ${st.dir}\n`);
        else {
          process.stdout.write(`${st.dir}: ${st.students} students, state ${st.state} (${st.phase})\n`);
          for (const n of st.nodes)
            process.stdout.write(
              `${n.student} ${n.name} ${n.host.padEnd(12)} ${n.running ? 'running' : 'stopped'} ` +
                `${n.listening ? 'sshd-up' : 'sshd-down'} procs=${n.processes} rss=${(n.rssKiB / 1024).toFixed(1)}MiB\n`,
            );
        }
        if (st.leftovers.netns.length || st.leftovers.processes.length)
          process.stdout.write(
            `leftovers (run \`labgrade lab down\`): netns ${st.leftovers.netns.join(' ') || '-'}; pids ${st.leftovers.processes.join(' ') || '-'}\n`,
          );
      } catch (e) {
        fail(e);
      }
    });

  lab
    .command('ssh')
    .description('log in to a node (or run a command) with the lab key, host key checked')
    .argument('<student>', 'e.g. s01')
    .argument('<node>', 'node1, node2 or node3')
    .argument('[command...]', 'command to run instead of a shell')
    .option('--print', 'print the ssh command instead of running it')
    .action(async (student: string, node: string, command: string[], o: { print?: boolean }) => {
      try {
        const l = await openLab(dirOf());
        const argv = sshCommand(l, l.node(student, node), command.length ? [command.join(' ')] : undefined);
        if (o.print) return void process.stdout.write(argv.map((a) => (/^[\w@./=:-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ') + '\n');
        const r = spawnSync(argv[0] as string, argv.slice(1), { stdio: 'inherit' });
        process.exitCode = r.status ?? 1;
      } catch (e) {
        fail(e);
      }
    });
}
