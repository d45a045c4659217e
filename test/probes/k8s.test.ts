// Parsers of the Kubernetes probes on kubectl's own texts (fixtures/k8s, each naming its source).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterApi, clusterConfiguration, k8sNodeFiles, kubeconfigContext, kubeconfigValue, kubectlError, nodePortHttp, splitSections } from '../../src/probes/k8s.ts';
import { RC_MARK, SECTION_MARK } from '../../src/probes/util.ts';

const FIX = join(import.meta.dirname, '../../fixtures/k8s');
/** a fixture without its `# source:` line */
const fixture = (f: string) => readFileSync(join(FIX, f), 'utf8').replace(/^# source:.*\n/, '');
const section = (name: string, text: string, code?: number) => `${SECTION_MARK} ${name}\n${text}${code === undefined ? '' : `\n${RC_MARK} ${code}`}\n`;
const head = section('env', '/root/.bashrc\t/etc/kubernetes/admin.conf') + section('files', ' admin');

describe('kubectl failures are named', () => {
  it.each([
    ['refused.txt', 'refused'],
    ['no-kubeconfig.txt', 'no-kubeconfig'],
    ['config-not-found.txt', 'no-kubeconfig'],
    ['x509.txt', 'x509'],
    ['unauthorized.txt', 'unauthorized'],
    ['unknown-type.txt', 'unknown-type'],
    ['io-timeout.txt', 'timeout'],
  ])('%s -> %s', (file, kind) => {
    expect(kubectlError(fixture(file), 1).kind).toBe(kind);
  });
  it('a `timeout` kill (124) is a timeout whatever was printed', () => {
    expect(kubectlError('', 124).kind).toBe('timeout');
  });
});

describe('clusterApi', () => {
  const probe = clusterApi(['nodes', 'pods'], ['installations.operator.tigera.io']);
  it('reads the List, the CRD read that failed, and where KUBECONFIG came from', () => {
    const stdout = head + section('core', fixture('list-notready.json').trimEnd(), 0) + section('crd installations.operator.tigera.io', fixture('unknown-type.txt').trimEnd(), 1);
    const f = probe.parse({ stdout, stderr: '', code: 0 });
    expect(f.kubeconfig).toEqual({ env: '/etc/kubernetes/admin.conf', envFrom: '/root/.bashrc', homeConfig: false, adminConf: true, used: '/etc/kubernetes/admin.conf' });
    expect(f.core.ok && f.core.items.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Node/control1.example.com', 'Pod/calico-node-j7snl']);
    const crd = f.crds['installations.operator.tigera.io'];
    expect(crd?.ok === false && crd.error.kind).toBe('unknown-type');
  });
  it('a klog warning before the JSON does not hide the List', () => {
    const stdout = head + section('core', `W1201 10:00:00.000000    1 warnings.go:70] policy/v1beta1 PodSecurityPolicy is deprecated\n${fixture('list-notready.json').trimEnd()}`, 0) + section('crd installations.operator.tigera.io', '{"apiVersion":"v1","items":[],"kind":"List","metadata":{"resourceVersion":""}}', 0);
    const f = probe.parse({ stdout, stderr: '', code: 0 });
    expect(f.core.ok && f.core.items).toHaveLength(2);
  });
  it('kubectl not installed is a finding, not a parse error', () => {
    const f = probe.parse({ stdout: head + section('missing', ''), stderr: '', code: 0 });
    expect(f.core).toEqual({ ok: false, error: { kind: 'not-installed', message: 'kubectl: command not found' } });
  });
  it('output that is not kubectl\'s is a parse error', () => {
    expect(() => probe.parse({ stdout: head + section('core', 'hello', 0) + section('crd installations.operator.tigera.io', '', 0), stderr: '', code: 0 })).toThrow(/no JSON/);
  });
});

describe('helpers', () => {
  it('kubeconfigValue expands what the course writes', () => {
    expect(kubeconfigValue('"/etc/kubernetes/admin.conf"')).toBe('/etc/kubernetes/admin.conf');
    expect(kubeconfigValue('$HOME/.kube/config # mine')).toBe('/root/.kube/config');
    expect(kubeconfigValue("'~/k'")).toBe('/root/k');
  });
  it('clusterConfiguration reads podSubnet from kubeadm-config', () => {
    const cm = { kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { ClusterConfiguration: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 192.168.0.0/16\n  serviceSubnet: 10.90.0.0/16\n' } };
    expect(clusterConfiguration([cm])).toEqual({ podSubnet: '192.168.0.0/16', serviceSubnet: '10.90.0.0/16' });
    expect(clusterConfiguration([])).toBeUndefined();
  });
  it('node files: confs, manifests, advertise address, completion scripts', () => {
    const stdout = section('admin', 'exists\nhttps://192.168.90.110:6443') + section('kubelet', '') + section('manifests', 'etcd.yaml\nkube-apiserver.yaml') + section('advertise', '192.168.90.110') + section('completion kubectl', '4501 1') + section('completion kubeadm', '');
    expect(k8sNodeFiles().parse({ stdout, stderr: '', code: 0 })).toEqual({
      adminConf: { exists: true, server: 'https://192.168.90.110:6443' },
      kubeletConf: { exists: false },
      manifests: ['etcd.yaml', 'kube-apiserver.yaml'],
      advertiseAddress: '192.168.90.110',
      completion: { kubectl: { exists: true, bytes: 4501, script: true }, kubeadm: { exists: false, bytes: 0, script: false } },
    });
  });
  it('nodePortHttp: the port and curl\'s answer, or kubectl\'s failure', () => {
    const p = nodePortHttp('default', 'np-test-httpd', '192.168.90.110');
    expect(p.parse({ stdout: section('port', '31666', 0) + section('curl', '403 0'), stderr: '', code: 0 })).toEqual({ nodePort: 31666, status: 403, curlExit: 0 });
    expect(p.parse({ stdout: section('port', 'Error from server (NotFound): services "np-test-httpd" not found', 1), stderr: '', code: 0 }).error?.kind).toBe('other');
  });
  it('splitSections is one pass over the lines', () => {
    const s = splitSections(`${SECTION_MARK} a\nx\n${RC_MARK} 3\n${SECTION_MARK} b\ny\nz\n`);
    expect(s.get('a')).toEqual({ text: 'x', code: 3 });
    expect(s.get('b')?.text).toBe('y\nz\n');
  });
});

describe('kubeconfigContext (d4.context)', () => {
  const probe = kubeconfigContext();
  const home = section('env', '\t') + section('files', 'home admin');
  it('the current context and its namespace, from the kubeconfig root uses', () => {
    const f = probe.parse({ stdout: head + section('view', fixture('config-view-minify.json').trimEnd(), 0), stderr: '', code: 0 });
    expect(f.kubeconfig.used).toBe('/etc/kubernetes/admin.conf');
    expect(f.read).toEqual({ ok: true, context: { name: 'kubernetes-admin@kubernetes', namespace: 'release-apache', cluster: 'kubernetes', user: 'kubernetes-admin' } });
  });
  it('no namespace: absent; ~/.kube/config before admin.conf when no login file sets KUBECONFIG', () => {
    const json = fixture('config-view-minify.json').replace(',\n                "namespace": "release-apache"', '');
    const f = probe.parse({ stdout: home + section('view', json.trimEnd(), 0), stderr: '', code: 0 });
    expect(f.kubeconfig).toEqual({ homeConfig: true, adminConf: true, used: '/root/.kube/config' });
    expect(f.read).toEqual({ ok: true, context: { name: 'kubernetes-admin@kubernetes', cluster: 'kubernetes', user: 'kubernetes-admin' } });
  });
  it('no current-context is a finding; kubectl missing too; other failures are kubectl\'s', () => {
    expect(probe.parse({ stdout: head + section('view', fixture('minify-no-context.txt').trimEnd(), 1), stderr: '', code: 0 }).read).toEqual({ ok: true });
    expect(probe.parse({ stdout: head + section('missing', ''), stderr: '', code: 0 }).read).toEqual({ ok: false, error: { kind: 'not-installed', message: 'kubectl: command not found' } });
    const bad = probe.parse({ stdout: head + section('view', 'error: error loading config file "/etc/kubernetes/admin.conf": yaml: line 3: mapping values are not allowed in this context', 1), stderr: '', code: 0 }).read;
    expect(bad.ok === false && bad.error.message).toMatch(/^error: error loading config file/);
  });
  it('a klog warning before the JSON is skipped; text that is not kubectl\'s is a parse error', () => {
    const warn = `W1201 10:41:07.123456   12345 loader.go:223] Config not found: /nope\n${fixture('config-view-minify.json').trimEnd()}`;
    expect(probe.parse({ stdout: head + section('view', warn, 0), stderr: '', code: 0 }).read.ok).toBe(true);
    expect(() => probe.parse({ stdout: head + section('view', 'hello', 0), stderr: '', code: 0 })).toThrow(/no JSON/);
  });
});
