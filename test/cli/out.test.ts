import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/out.ts';
import { kbdInteractiveAnswer } from '../../src/transport/ssh.ts';

describe('terminalSafe: node text is shown, never interpreted by the terminal', () => {
  it.each([
    ['OSC 52 clipboard write', '\u001b]52;c;Y3VybCBldmlsfHNo\u0007', '\\x1b]52;c;Y3VybCBldmlsfHNo\\x07'],
    ['OSC 8 link', '\u001b]8;;http://evil\u001b\\click\u001b]8;;\u001b\\', '\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\'],
    ['CSI cursor up + erase', 'a\u001b[1A\u001b[2Kb', 'a\\x1b[1A\\x1b[2Kb'],
    ['carriage return overwrite', 'x\rs07 11/11 all passed', 'x\\x0ds07 11/11 all passed'],
    ['C1 CSI (8-bit)', 'a\u009b31mb', 'a\\x9b31mb'],
    ['bidi override', 'gnp\u202Eexe', 'gnp\\u202eexe'],
    ['NUL and DEL', 'a\u0000b\u007f', 'a\\x00b\\x7f'],
  ])('%s', (_name, input, shown) => {
    const s = terminalSafe(input);
    expect(s).toBe(shown);
    expect(s).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
  });

  it('keeps newlines, tabs, Korean and emoji', () => {
    expect(terminalSafe('발견\tok\n😀')).toBe('발견\tok\n😀');
  });
});

describe('keyboard-interactive: the password goes to one password prompt, once', () => {
  const ask = (prompts: { prompt: string; echo?: boolean }[], answer = kbdInteractiveAnswer('s3cret')) => {
    let got: string[] = [];
    answer('', '', '', prompts, (a) => (got = a));
    return got;
  };

  it('answers "Password:" and PAM forms', () => {
    expect(ask([{ prompt: 'Password: ', echo: false }])).toEqual(['s3cret']);
    expect(ask([{ prompt: "root@10.0.0.1's password: ", echo: false }])).toEqual(['s3cret']);
    expect(ask([{ prompt: '암호:', echo: false }])).toEqual(['s3cret']);
  });

  it('never answers another question, an echoed prompt, several prompts, or a second round with it', () => {
    expect(ask([{ prompt: 'Verification code: ', echo: false }])).toEqual(['']);
    expect(ask([{ prompt: 'Password: ', echo: true }])).toEqual(['']);
    expect(ask([{ prompt: 'Password: ', echo: false }, { prompt: 'Password again: ', echo: false }])).toEqual(['', '']);
    const once = kbdInteractiveAnswer('s3cret');
    expect(ask([{ prompt: 'Password: ', echo: false }], once)).toEqual(['s3cret']);
    expect(ask([{ prompt: 'Password: ', echo: false }], once)).toEqual(['']);
  });
});
