/** Access to the live pages: one instructor token, one token per student. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';

export type Who = { role: 'instructor' } | { role: 'student'; id: string };

interface Entry {
  digest: Buffer;
  who: Who;
}

/** 32 random bytes, URL-safe: unguessable, and fits in a link. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export class Tokens {
  readonly instructor: string;
  readonly students = new Map<string, string>();
  private readonly entries: Entry[] = [];

  constructor(studentIds: string[], given: { instructor?: string; students?: Record<string, string> } = {}) {
    this.instructor = given.instructor ?? newToken();
    this.entries.push({ digest: digest(this.instructor), who: { role: 'instructor' } });
    for (const id of studentIds) {
      const t = given.students?.[id] ?? newToken();
      this.students.set(id, t);
      this.entries.push({ digest: digest(t), who: { role: 'student', id } });
    }
  }

  /**
   * Who holds this token. Compares the SHA-256 digests (equal length) with timingSafeEqual against every
   * entry, without stopping at a match, so neither the time nor the length tells anything about a token.
   */
  lookup(token: string | undefined): Who | undefined {
    if (!token || token.length > 512) return undefined;
    const d = digest(token);
    let hit: Who | undefined;
    for (const e of this.entries) if (timingSafeEqual(e.digest, d)) hit ??= e.who;
    return hit;
  }

  /** links.csv: who, role, link; the instructor hands each student their own line. */
  async writeCsv(path: string, baseUrl: string, names: Map<string, string | undefined>): Promise<void> {
    const q = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    // a cell starting with = + - @ is a formula in spreadsheets (OWASP CSV injection)
    const cell = (s: string) => q(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
    const link = (t: string) => `${baseUrl}/login?token=${t}`;
    const lines = ['id,name,role,link', `instructor,,instructor,${link(this.instructor)}`];
    for (const [id, t] of this.students) lines.push(`${cell(id)},${cell(names.get(id) ?? '')},student,${link(t)}`);
    // the links are the keys: readable by the instructor only, and never half written
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, lines.join('\r\n') + '\r\n', { mode: 0o600 });
    await rename(tmp, path);
  }
}
