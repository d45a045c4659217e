/** Headless Chromium (Debian package `chromium`) driven by its command line: no npm packages needed. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';

const run = promisify(execFile);

export const CHROMIUM = process.env.LABGRADE_CHROMIUM ?? 'chromium';

// Offline and quiet: nothing in these runs may reach the network (the page must not need it anyway).
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  '--force-device-scale-factor=1',
];

async function withProfile<T>(fn: (profile: string) => Promise<T>): Promise<T> {
  const profile = await mkdtemp(join(tmpdir(), 'lg-chromium-'));
  try {
    return await fn(profile);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

export async function chromiumVersion(): Promise<string> {
  const { stdout } = await run(CHROMIUM, ['--version'], { timeout: 30_000 });
  return stdout.trim();
}

/** The DOM after load and after the page's own script ran. */
export async function dumpDom(file: string, hash = ''): Promise<string> {
  return withProfile(async (profile) => {
    const url = pathToFileURL(file).href + hash;
    const { stdout } = await run(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', url], {
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  });
}

export async function screenshot(file: string, out: string, size = '1280,1400'): Promise<void> {
  await withProfile(async (profile) => {
    await run(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, `--window-size=${size}`, `--screenshot=${out}`, pathToFileURL(file).href], {
      timeout: 60_000,
    });
  });
}

export interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel */
  rgba: Uint8Array;
}

/** Minimal PNG reader: 8-bit RGB / RGBA, not interlaced (what Chromium writes). */
export function decodePng(buf: Buffer): Image {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const colour = data[9];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || data[12] !== 0) throw new Error(`unsupported PNG ${depth}/${colour}`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (px[y * stride + x - channels] as number) : 0;
      const b = y > 0 ? (px[(y - 1) * stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (px[(y - 1) * stride + x - channels] as number) : 0;
      const v = raw[src + x] as number;
      let out: number;
      if (filter === 0) out = v;
      else if (filter === 1) out = v + a;
      else if (filter === 2) out = v + b;
      else if (filter === 3) out = v + ((a + b) >> 1);
      else {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        out = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      px[y * stride + x] = out & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = px[i * channels] as number;
    rgba[i * 4 + 1] = px[i * channels + 1] as number;
    rgba[i * 4 + 2] = px[i * channels + 2] as number;
    rgba[i * 4 + 3] = channels === 4 ? (px[i * channels + 3] as number) : 255;
  }
  return { width, height, rgba };
}

/** How many pixels have exactly this colour (e.g. '#0072B2'). */
export function countColour(img: Image, hex: string): number {
  const r = parseInt(hex.slice(1, 3), 16);
  const g = parseInt(hex.slice(3, 5), 16);
  const b = parseInt(hex.slice(5, 7), 16);
  let n = 0;
  for (let i = 0; i < img.rgba.length; i += 4) if (img.rgba[i] === r && img.rgba[i + 1] === g && img.rgba[i + 2] === b) n++;
  return n;
}
