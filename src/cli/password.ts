import { createInterface } from 'node:readline';

/**
 * Asks for the SSH password once, without echo, before grading starts (the graders run in worker
 * threads with no terminal). The answer goes to LABGRADE_SSH_PASSWORD of this process only.
 */
export async function askPassword(prompt = 'SSH password: '): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('--ask-password needs a terminal; set LABGRADE_SSH_PASSWORD instead');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write(prompt);
  out._writeToOutput = () => undefined;
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
