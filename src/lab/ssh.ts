// Running a command on a lab node over real SSH (ssh2), with the lab key and the node's known host key.
import { Client } from 'ssh2';

export interface LabExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface SshTarget {
  host: string;
  port?: number;
  privateKey: Buffer | string;
  /** base64 key blob from known_hosts / the .pub file; anything else is refused */
  hostKeyB64: string;
}

/** One connection per call: lab operations are few and loopback connections are cheap (~10 ms). */
export function sshExec(t: SshTarget, command: string, stdin?: string, timeoutMs = 300_000): Promise<LabExecResult> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    let out = '';
    let err = '';
    let done = false;
    const finish = (e: Error | null, r?: LabExecResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      c.end();
      if (e) reject(e);
      else resolve(r as LabExecResult);
    };
    const timer = setTimeout(() => finish(new Error(`ssh ${t.host}: timed out after ${timeoutMs} ms: ${command.slice(0, 80)}`)), timeoutMs);
    c.on('ready', () => {
      c.exec(command, (e, ch) => {
        if (e) return finish(e);
        let code: number | null = null;
        ch.on('data', (d: Buffer) => (out += d.toString('utf8')));
        ch.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
        ch.on('exit', (c2: number | null) => (code = c2));
        ch.on('close', () => finish(null, { stdout: out, stderr: err, code }));
        if (stdin !== undefined) ch.end(stdin);
        else ch.end();
      });
    });
    c.on('error', (e) => finish(new Error(`ssh root@${t.host}: ${e.message}`)));
    c.connect({
      host: t.host,
      port: t.port ?? 22,
      username: 'root',
      privateKey: t.privateKey,
      readyTimeout: 15_000,
      hostVerifier: (key: Buffer) => key.toString('base64') === t.hostKeyB64,
    });
  });
}
