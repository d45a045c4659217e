import { describe, expect, it } from 'vitest';
import { policyJson } from '../../src/probes/policy.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const parse = (f: string) => run(policyJson(), composeDump([{ path: '/etc/containers/policy.json', content: fixture(`policy/${f}`) }]));

describe('policyJson', () => {
  it('el9 default: insecureAcceptAnything default plus sigstoreSigned Red Hat entries', () => {
    const f = parse('el9-default-policy.json');
    expect(f.defaultTypes).toEqual(['insecureAcceptAnything']);
    expect(f.signedScopes).toEqual(['registry.access.redhat.com', 'registry.redhat.io']);
    expect(f.docker['registry.redhat.io']).toEqual(['sigstoreSigned']);
    expect(f.transports).toEqual(['docker', 'docker-daemon']);
  });
  it('older el9: signedBy', () => {
    expect(parse('older-el9-signedby.json').signedScopes).toHaveLength(2);
  });
  it("the course's short form has no signed scopes", () => {
    expect(parse('course-short-form.json')).toMatchObject({ defaultTypes: ['insecureAcceptAnything'], signedScopes: [], docker: {} });
  });
  it('reports invalid JSON', () => {
    expect(parse('truncated.json').error).toMatch(/invalid JSON/);
  });
  // containers/image signature/policy_config.go: what podman refuses, though JSON.parse accepts it
  it('a duplicated key is refused (JSON.parse would keep the last one)', () => {
    expect(parse('duplicate-default.json')).toMatchObject({ error: 'Duplicate key "default"', defaultTypes: ['insecureAcceptAnything'] });
  });
  it('an empty requirement list, an unknown key or requirement type is refused', () => {
    expect(parse('empty-default.json').error).toBe('List of verification policy requirements must not be empty');
    const one = (text: string) => run(policyJson(), composeDump([{ path: '/etc/containers/policy.json', content: text }])).error;
    expect(one('{"default":[{"type":"insecureAcceptAnything"}],"$comment":"x"}')).toBe('Unknown key "$comment"');
    expect(one('{"default":[{"type":"acceptAll"}]}')).toBe('Unknown policy requirement type "acceptAll"');
    expect(one('{"transports":{}}')).toBe('Default policy is missing');
    expect(one('{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker":{"a\\"b":[{"type":"reject"}],"c":[{"type":"reject"}]}}}')).toBeUndefined();
  });
  it('absent file', () => {
    expect(run(policyJson(), '').exists).toBe(false);
  });
  it('throws on output that is not a file dump', () => {
    expect(() => run(policyJson(), '{}')).toThrow(ProbeParseError);
  });
});
