/** `labgrade serve`: start the grader and the server, print the links, stop cleanly on SIGINT/SIGTERM. */
import type { Lang } from '../grade/types.ts';
import { ClassGrader } from './grader.ts';
import { LiveServer } from './server.ts';
import { Tokens } from './tokens.ts';

export { ClassGrader, Gate, nodeKey } from './grader.ts';
export { LiveServer } from './server.ts';
export { Tokens } from './tokens.ts';

export interface ServeRun {
  day: number;
  specPath: string;
  rosterPath: string;
  names: Map<string, string | undefined>;
  listen: { host: string; port: number };
  tls?: { cert: string; key: string };
  everyMs: number;
  concurrency: number;
  checkIntervalS: number;
  stuckMinutes: number;
  hints: boolean;
  linksPath: string;
  reportsDir: string;
  strictHostKeys: boolean;
  commandTimeoutS?: number;
  connectTimeoutS?: number;
  lang: Lang;
}

export async function runServe(o: ServeRun): Promise<number> {
  const log = (line: string) => process.stderr.write(`labgrade serve: ${line}\n`);
  // one line per run would drown the server's own messages; the pages show progress
  process.env.LABGRADE_PROGRESS = 'off';
  const grader = await ClassGrader.create({
    day: o.day,
    specPath: o.specPath,
    rosterPath: o.rosterPath,
    reportsDir: o.reportsDir,
    concurrency: o.concurrency,
    strictHostKeys: o.strictHostKeys,
    commandTimeoutS: o.commandTimeoutS,
    connectTimeoutS: o.connectTimeoutS,
    log,
  });
  const tokens = new Tokens(grader.studentIds());
  const server = new LiveServer({
    grader,
    tokens,
    listen: o.listen,
    tls: o.tls,
    lang: o.lang,
    hints: o.hints,
    checkIntervalS: o.checkIntervalS,
    stuckMinutes: o.stuckMinutes,
    log,
  });
  await server.start();
  const base = server.url;
  await tokens.writeCsv(o.linksPath, base, o.names);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`labgrade serve: day ${o.day}, ${grader.studentIds().length} students, ${grader.plan.nodes.length} nodes, grading every ${o.everyMs / 60_000} min`);
  out(`listening on ${base}${o.hints ? '' : ' (exam mode: no hints)'}`);
  out(`instructor: ${base}/login?token=${tokens.instructor}`);
  for (const [id, t] of tokens.students) out(`${id}: ${base}/login?token=${t}`);
  out(`links: ${o.linksPath} (hand each student their own line)`);
  grader.schedule(o.everyMs);

  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (sig: string) => {
      if (stopping) {
        // a second signal: leave now; every report file is written whole (write, then rename)
        log(`${sig} again: leaving at once`);
        resolve(130);
        return;
      }
      stopping = true;
      log(`${sig}: finishing the runs under way (then cancelling them), no new ones`);
      const grace = ((o.commandTimeoutS ?? 30) + (o.connectTimeoutS ?? 8) + 5) * 1000;
      void Promise.all([server.close(), grader.stop(grace)]).then(([, r]) => {
        log(r.finished ? 'stopped; every run under way was written' : 'stopped; runs still grading were cancelled, nothing of them written');
        resolve(0);
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}
