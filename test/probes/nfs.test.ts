// The NFS probe's parsers (exportfs -s as nfs-utils 2.5.4 prints it, exports(5) files as exportfs reads them)
// and the PV/PVC matching the day-5 verdicts explain.
import { describe, expect, it } from 'vitest';
import { describeVolume, quantityBytes, whyUnbound, findNamed } from '../../src/grade/k8s-verdicts.ts';
import { exportLines, nfsExports, parseExportfsS } from '../../src/probes/nfs.ts';
import type { K8sObject } from '../../src/probes/k8s.ts';
import { RC_MARK, SECTION_MARK } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

describe('exportfs -s', () => {
  it('reads path, client and options, undoing the octal escapes', () => {
    const e = parseExportfsS(fixture('nfs/exportfs-s.txt'));
    expect(e.map((x) => `${x.path}|${x.client}`)).toEqual(['/srv/my share|host1', '/srv/my share|192.168.90.0/24', '/nfs|*']);
    expect(e[2]?.options).toEqual(['sync', 'wdelay', 'hide', 'no_subtree_check', 'sec=sys', 'rw', 'secure', 'no_root_squash', 'no_all_squash']);
  });
  it('ignores warnings and blank output', () => {
    expect(parseExportfsS('')).toEqual([]);
    expect(parseExportfsS('exportfs: No file systems exported!\n')).toEqual([]);
  });
});

describe('export files as exportfs reads them', () => {
  it("finds the notes' space inside the options (bad option list), not a valid line", () => {
    const l = exportLines('/etc/exports', '# comment\n/nfs *(rw, no_root_squash)\n');
    expect(l).toEqual([{ file: '/etc/exports', line: 2, text: '/nfs *(rw, no_root_squash)', path: '/nfs', clients: ['*(rw,', 'no_root_squash)'], badOptionList: true }]);
    expect(exportLines('/etc/exports', '/nfs -sync 192.168.90.0/24(rw,no_root_squash) host1 # x\n')[0]).toEqual({ file: '/etc/exports', line: 1, text: '/nfs -sync 192.168.90.0/24(rw,no_root_squash) host1 # x', path: '/nfs', clients: ['192.168.90.0/24(rw,no_root_squash)', 'host1'] });
  });
  it('the probe splits exportfs -s and each file', () => {
    const stdout = `${SECTION_MARK} exportfs\n/nfs *(sync,rw)\n\n${RC_MARK} 0\n${SECTION_MARK} file /etc/exportfs\n/nfs *(rw,no_root_squash)\n\n`;
    const f = run(nfsExports(), stdout);
    expect(f.exportfs).toMatchObject({ code: 0, exports: [{ path: '/nfs', client: '*', options: ['sync', 'rw'] }] });
    expect(f.files).toEqual([{ path: '/etc/exportfs', content: '/nfs *(rw,no_root_squash)\n' }]);
    expect(run(nfsExports(), '').exportfs).toBeUndefined();
  });
});

const pv = (name: string, size: string, modes: string[], cls = '', claimRef?: object): K8sObject => ({ kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: size }, accessModes: modes, storageClassName: cls, ...(claimRef ? { claimRef } : {}) }, status: { phase: claimRef ? 'Bound' : 'Available' } });
const claim = (size: string, modes: string[], cls?: string): K8sObject => ({ kind: 'PersistentVolumeClaim', metadata: { name: 'nfs-pvc', namespace: 'default' }, spec: { resources: { requests: { storage: size } }, accessModes: modes, ...(cls === undefined ? {} : { storageClassName: cls }) }, status: { phase: 'Pending' } });

describe('PV/PVC matching (pv_controller findMatchingVolume)', () => {
  it('quantities', () => {
    expect(quantityBytes('1Gi')).toBe(2 ** 30);
    expect(quantityBytes('1024Mi')).toBe(2 ** 30);
    expect(quantityBytes('2G')).toBe(2e9);
    expect(quantityBytes('lots')).toBeNaN();
  });
  it('says why a claim stays Pending', () => {
    const vols = [pv('nfs-pv', '1Gi', ['ReadWriteMany'])];
    expect(whyUnbound(claim('2Gi', ['ReadWriteMany'], ''), vols)).toBe('no matching PersistentVolume (nfs-pv: capacity 1Gi < request 2Gi)');
    expect(whyUnbound(claim('1Gi', ['ReadWriteOnce'], ''), vols)).toBe('no matching PersistentVolume (nfs-pv: access modes ReadWriteMany lack ReadWriteOnce)');
    expect(whyUnbound(claim('1Gi', ['ReadWriteMany'], 'nfs-csi'), vols)).toBe('no matching PersistentVolume (nfs-pv: class "" not "nfs-csi")');
    expect(whyUnbound(claim('1Gi', ['ReadWriteMany'], ''), [pv('nfs-pv', '1Gi', ['ReadWriteMany'], '', { name: 'x', namespace: 'other' })])).toBe('no matching PersistentVolume (nfs-pv: already bound to other/x)');
    expect(whyUnbound(claim('1Gi', ['ReadWriteMany'], ''), [])).toBe('no PersistentVolume exists (and no storage class is set)');
    expect(describeVolume(claim('1Gi', ['ReadWriteMany'], ''))).toBe('PVC default/nfs-pvc: 1Gi, ReadWriteMany, storageClassName "", Pending');
  });
  it('finds an object in default first, else where it is, and says so', () => {
    const pod = (ns: string): K8sObject => ({ kind: 'Pod', metadata: { name: 'test-centos', namespace: ns } });
    expect(findNamed([pod('release-apache'), pod('default')], 'Pod', 'test-centos')).toMatchObject({ ns: 'default', where: '' });
    expect(findNamed([pod('release-apache')], 'Pod', 'test-centos')).toMatchObject({ ns: 'release-apache', where: ' (in namespace release-apache, not default)' });
    expect(findNamed([], 'Pod', 'test-centos')).toEqual({ where: '' });
  });
});
