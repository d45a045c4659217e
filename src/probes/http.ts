/** d1.port: does anything answer HTTP at a URL, as seen from the node itself. */
import { type Probe, ProbeParseError } from './types.ts';
import { clip, missingTool, requireTool, shq, subshell } from './util.ts';

export type HttpFact =
  /** any HTTP status counts as an answer (the real httpd image answers 403 on /) */
  | { url: string; kind: 'status'; status: number }
  | { url: string; kind: 'refused' }
  | { url: string; kind: 'timeout' }
  | { url: string; kind: 'error'; curlExit: number; message: string }
  | { url: string; kind: 'missing'; tool: string };

// curl exit codes (curl(1) EXIT CODES)
const REFUSED = 7;
const TIMEOUT = 28;

export function httpGet(url: string, timeoutSeconds = 5): Probe<HttpFact> {
  if (!/^https?:\/\/[^\s'"]+$/.test(url)) throw new Error(`httpGet: bad url ${url}`);
  const key = `http:${url}`;
  // -w prints 000 when no HTTP answer came; the exit status tells refused from timeout
  const curl = `curl -s -o /dev/null -w '%{http_code}' --max-time ${timeoutSeconds} ${shq(url)}`;
  return {
    key,
    heavy: true,
    command: subshell(`${requireTool('curl')}\ncode=$(${curl} 2>/dev/null); rc=$?\necho "$code $rc"`),
    parse(out) {
      const tool = missingTool(out.stdout);
      if (tool) return { url, kind: 'missing', tool };
      const m = /^(\d{3}) (\d+)\s*$/.exec(out.stdout.trim());
      if (!m) throw new ProbeParseError(key, `unexpected curl output ${clip(out.stdout)}`);
      const status = Number(m[1]);
      const rc = Number(m[2]);
      if (status !== 0) return { url, kind: 'status', status };
      if (rc === REFUSED) return { url, kind: 'refused' };
      if (rc === TIMEOUT) return { url, kind: 'timeout' };
      return { url, kind: 'error', curlExit: rc, message: `curl exit ${rc}` };
    },
  };
}

/** GET http://localhost:PORT/PATH from the node */
export function httpLocal(port: number, path = '/'): Probe<HttpFact> {
  return httpGet(`http://localhost:${port}${path.startsWith('/') ? path : `/${path}`}`);
}
