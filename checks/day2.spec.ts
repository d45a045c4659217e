/**
 * Day 2: a container runtime and the Kubernetes packages, on all three nodes
 * (../shared/course/outcomes.md, "Day 2").
 */
import { check } from '../src/grade/course.ts';
import { describeRepos, describeUnit, fail, findRepo, normaliseUrl, packagesInstalled, pass, show, unit } from '../src/grade/verdicts.ts';
import { gradeDay } from '../src/grade/vitest.ts';
import {
  hosts,
  kernelModule,
  namesFor,
  resolveFirst,
  policyJson,
  rpmPackages,
  selinux,
  swap,
  sysctlKey,
  systemdUnits,
  yumRepos,
} from '../src/probes/index.ts';

const LIBCONTAINERS = 'devel:kubic:libcontainers:stable/centos_9_stream';
// the notes give both forms: .../stable:/cri-o:/1.24:/1.24.6/CentOS_8 and, with VERSION=1.24.6, .../stable:/cri-o:/1.24.6/CentOS_8
const CRIO = /devel:kubic:libcontainers:stable:cri-o:1\.24(:1\.24\.\d+|\.\d+)?\/centos_8$/;
const K8S = 'https://pkgs.k8s.io/core:stable:v1.24/rpm';
const K8S_EXCLUDES = ['kubelet', 'kubeadm', 'kubectl'];
const RH_REGISTRIES = ['registry.access.redhat.com', 'registry.redhat.io'];

gradeDay({
  day: 2,
  checks: [
    check({
      id: 'd2.libcontainers-repo',
      title: { en: 'libcontainers stable repo (CentOS_9_Stream)', ko: 'libcontainers stable 저장소 (CentOS_9_Stream)' },
      scope: 'all',
      probes: () => ({ r: yumRepos() }),
      verdict: ({ r }) => {
        const expected = 'an enabled repo with baseurl .../devel:/kubic:/libcontainers:/stable/CentOS_9_Stream/';
        const hint = {
          en: 'curl -L -o /etc/yum.repos.d/devel:kubic:libcontainers:stable.repo https://download.opensuse.org/repositories/devel:/kubic:/libcontainers:/stable/CentOS_9_Stream/devel:/kubic:/libcontainers:/stable.repo',
          ko: 'course 노트의 curl 명령으로 devel:kubic:libcontainers:stable.repo 를 /etc/yum.repos.d/ 에 받으세요 (OS=CentOS_9_Stream)',
        };
        const { hit, disabled } = findRepo(r.repos, (u) => u.endsWith(LIBCONTAINERS));
        if (hit) return pass(`${hit.id} in ${hit.file}: ${hit.baseurl.join(' ')}`, expected);
        if (disabled) return fail(`${disabled.id} in ${disabled.file} has enabled=0`, expected, hint);
        return fail(describeRepos(r.repos), expected, hint);
      },
    }),
    check({
      id: 'd2.crio-repo',
      title: { en: 'cri-o 1.24 repo (CentOS_8)', ko: 'cri-o 1.24 저장소 (CentOS_8)' },
      scope: 'all',
      probes: () => ({ r: yumRepos() }),
      verdict: ({ r }) => {
        const expected = 'an enabled repo with baseurl .../devel:/kubic:/libcontainers:/stable:/cri-o:/1.24[:/1.24.6]/CentOS_8/';
        const hint = {
          en: 'VERSION=1.24.6 OS=CentOS_8: curl -L -o /etc/yum.repos.d/devel:kubic:libcontainers:stable:cri-o:$VERSION.repo .../stable:/cri-o:/1.24:/1.24.6/CentOS_8/devel:kubic:libcontainers:stable:cri-o:1.24:1.24.6.repo',
          ko: 'VERSION=1.24.6, OS=CentOS_8 로 cri-o 저장소 파일을 /etc/yum.repos.d/ 에 받으세요',
        };
        const { hit, disabled } = findRepo(r.repos, (u) => CRIO.test(u));
        if (hit) return pass(`${hit.id} in ${hit.file}: ${hit.baseurl.join(' ')}`, expected);
        if (disabled) return fail(`${disabled.id} in ${disabled.file} has enabled=0`, expected, hint);
        return fail(describeRepos(r.repos), expected, hint);
      },
    }),
    check({
      id: 'd2.crio',
      title: { en: 'cri-o 1.24 installed', ko: 'cri-o 1.24 설치' },
      scope: 'all',
      probes: () => ({ rpm: rpmPackages(['cri-o']) }),
      verdict: ({ rpm }) => {
        const hint = { en: 'dnf install -y cri-o (the package is cri-o, not crio)', ko: 'dnf install -y cri-o (패키지 이름은 crio 가 아니라 cri-o)' };
        const v = packagesInstalled(rpm, ['cri-o'], hint);
        const p = rpm.packages['cri-o'];
        if (v.pass && p?.version && !p.version.startsWith('1.24.')) {
          return fail(`cri-o ${p.nvra}`, 'cri-o 1.24.x installed (from the cri-o:1.24 repo)', hint);
        }
        return { ...v, expected: 'cri-o 1.24.x installed' };
      },
    }),
    check({
      id: 'd2.cri-tools',
      title: { en: 'cri-tools (crictl) installed', ko: 'cri-tools (crictl) 설치' },
      scope: 'all',
      probes: () => ({ rpm: rpmPackages(['cri-tools']) }),
      verdict: ({ rpm }) => packagesInstalled(rpm, ['cri-tools'], { en: 'dnf install -y cri-tools', ko: 'dnf install -y cri-tools' }),
    }),
    check({
      id: 'd2.crio-service',
      title: { en: 'crio enabled and active', ko: 'crio 서비스 enable + 실행' },
      scope: 'all',
      needs: ['d2.crio'],
      probes: () => ({ s: systemdUnits(['crio', 'kubelet', 'firewalld']) }),
      verdict: ({ s }) => {
        const expected = 'crio: is-enabled enabled, is-active active';
        const hint = { en: 'systemctl enable --now crio', ko: 'systemctl enable --now crio' };
        if (s.missing || s.error) return fail(`systemctl failed: ${s.missing ?? s.error}`, expected, hint);
        const u = unit(s, 'crio');
        const found = describeUnit(u, 'crio');
        return u?.enabled === 'enabled' && u.active === 'active' ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd2.selinux',
      title: { en: 'SELinux permissive, now and in /etc/selinux/config', ko: 'SELinux permissive (현재 + /etc/selinux/config)' },
      scope: 'all',
      probes: () => ({ se: selinux() }),
      verdict: ({ se }) => {
        const expected = 'getenforce: Permissive, and SELINUX=permissive in /etc/selinux/config';
        const hint = {
          en: "setenforce 0 && sed -i 's/^SELINUX=.*/SELINUX=permissive/' /etc/selinux/config",
          ko: "setenforce 0 후 sed -i 's/^SELINUX=.*/SELINUX=permissive/' /etc/selinux/config",
        };
        // libselinux's rule (src/probes/selinux.ts): the first usable SELINUX= line; none -> boots permissive
        const skipped = se.ignored.length ? `; ignored: ${se.ignored.map((i) => `line ${i.line} ${JSON.stringify(i.raw.trim().slice(0, 80))} (${i.why})`).join(', ')}` : '';
        const cfg = `${se.config ? `${se.config.raw.trim()} (line ${se.config.line})` : se.configExists ? 'no SELINUX= line libselinux accepts' : 'no /etc/selinux/config'}, boots ${se.bootMode}${skipped}`;
        const now = se.runtime === null ? 'getenforce not available' : `getenforce: ${se.runtimeRaw.trim()}`;
        const found = `${now}; config: ${cfg}`;
        return se.runtime === 'permissive' && se.bootMode === 'permissive' ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd2.k8s-repo',
      title: { en: 'kubernetes.repo (pkgs.k8s.io v1.24, exclude=)', ko: 'kubernetes.repo (pkgs.k8s.io v1.24, exclude=)' },
      scope: 'all',
      probes: () => ({ r: yumRepos() }),
      verdict: ({ r }) => {
        const expected = `/etc/yum.repos.d/kubernetes.repo: enabled, baseurl https://pkgs.k8s.io/core:/stable:/v1.24/rpm/, exclude=${K8S_EXCLUDES.join(' ')} ...`;
        const hint = {
          en: 'Write /etc/yum.repos.d/kubernetes.repo as in the course notes ([kubernetes] baseurl=https://pkgs.k8s.io/core:/stable:/v1.24/rpm/ enabled=1 exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni)',
          ko: '과정 노트대로 /etc/yum.repos.d/kubernetes.repo 를 작성하세요 (baseurl=https://pkgs.k8s.io/core:/stable:/v1.24/rpm/, exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni)',
        };
        const { hit, disabled } = findRepo(r.repos, (u) => u === normaliseUrl(K8S));
        if (!hit) {
          if (disabled) return fail(`${disabled.id} in ${disabled.file} has enabled=0`, expected, hint);
          return fail(describeRepos(r.repos), expected, hint);
        }
        const missing = K8S_EXCLUDES.filter((p) => !(hit.exclude ?? []).includes(p));
        const found = `${hit.id} in ${hit.file}: ${hit.baseurl.join(' ')}, exclude=${(hit.exclude ?? []).join(' ') || '(none)'}`;
        if (missing.length) return fail(`${found} (exclude lacks ${missing.join(', ')})`, expected, hint);
        if (!hit.file.endsWith('/kubernetes.repo')) return fail(`${found} (in ${hit.file}, not kubernetes.repo)`, expected, hint);
        return pass(found, expected);
      },
    }),
    check({
      id: 'd2.k8s-packages',
      title: { en: 'kubelet, kubeadm, kubectl installed; kubelet enabled', ko: 'kubelet, kubeadm, kubectl 설치 + kubelet enable' },
      scope: 'all',
      probes: () => ({ rpm: rpmPackages(['kubelet', 'kubeadm', 'kubectl']), s: systemdUnits(['crio', 'kubelet', 'firewalld']) }),
      verdict: ({ rpm, s }) => {
        const hint = {
          en: 'dnf install -y kubelet kubeadm kubectl --disableexcludes=kubernetes && systemctl enable --now kubelet',
          ko: 'dnf install -y kubelet kubeadm kubectl --disableexcludes=kubernetes 후 systemctl enable --now kubelet',
        };
        const v = packagesInstalled(rpm, ['kubelet', 'kubeadm', 'kubectl'], hint);
        const expected = `${v.expected}; kubelet enabled`;
        const u = unit(s, 'kubelet');
        const found = `${v.found}; ${describeUnit(u, 'kubelet')}`;
        return v.pass && u?.enabled === 'enabled' ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd2.firewalld',
      title: { en: 'firewalld stopped and disabled', ko: 'firewalld 중지 + disable' },
      scope: 'all',
      probes: () => ({ s: systemdUnits(['crio', 'kubelet', 'firewalld']) }),
      verdict: ({ s }) => {
        const expected = 'firewalld not active, and disabled (or masked, or not installed)';
        const hint = { en: 'systemctl disable --now firewalld', ko: 'systemctl disable --now firewalld' };
        if (s.missing || s.error) return fail(`systemctl failed: ${s.missing ?? s.error}`, expected, hint);
        const u = unit(s, 'firewalld');
        const found = describeUnit(u, 'firewalld');
        const stopped = !u || !['active', 'activating', 'reloading'].includes(u.active);
        const off = !u || !u.exists || ['disabled', 'masked', 'masked-runtime', 'not-found'].includes(u.enabled);
        return stopped && off ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd2.swap',
      title: { en: 'swap off, and not in /etc/fstab', ko: 'swap 끄기 + /etc/fstab 에서 제거' },
      scope: 'all',
      probes: () => ({ sw: swap() }),
      verdict: ({ sw }) => {
        const expected = 'no active swap, and no uncommented swap line in /etc/fstab';
        const hint = {
          en: "swapoff -a && sed -i '/ swap / s/^/#/' /etc/fstab",
          ko: "swapoff -a 후 sed -i '/ swap / s/^/#/' /etc/fstab 로 fstab 의 swap 줄을 주석 처리하세요",
        };
        const problems: string[] = [];
        if (sw.active.length) problems.push(`active swap: ${sw.active.map((a) => `${a.name} (${a.type}, ${a.size})`).join(', ')}`);
        if (sw.fstab.length) problems.push(`/etc/fstab line ${sw.fstab.map((l) => `${l.lineNo}: ${l.raw.trim()}`).join('; ')}`);
        return problems.length ? fail(problems.join('; '), expected, hint) : pass('no active swap; no swap line in /etc/fstab', expected);
      },
    }),
    check({
      id: 'd2.br-netfilter',
      title: { en: 'br_netfilter loaded and in modules-load.d', ko: 'br_netfilter 로드 + modules-load.d 등록' },
      scope: 'all',
      probes: () => ({ m: kernelModule('br_netfilter') }),
      verdict: ({ m }) => {
        const expected = 'br_netfilter loaded now, and named in a file under /etc/modules-load.d/';
        const hint = {
          en: 'modprobe br_netfilter && echo br_netfilter > /etc/modules-load.d/k8s.conf',
          ko: 'modprobe br_netfilter 후 echo br_netfilter > /etc/modules-load.d/k8s.conf',
        };
        const inEtc = m.namedIn.filter((x) => x.path.startsWith('/etc/modules-load.d/'));
        const found = `${m.loaded ? 'loaded' : 'not loaded'}; ${inEtc.length ? `named in ${inEtc.map((x) => `${x.path}:${x.lineNo}`).join(', ')}` : m.masked.length ? `named only in masked files ${m.masked.map((x) => x.path).join(', ')}` : 'not named in /etc/modules-load.d'}`;
        return m.loaded && inEtc.length ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd2.ip-forward',
      title: { en: 'net.ipv4.ip_forward = 1, now and in sysctl.d', ko: 'net.ipv4.ip_forward = 1 (현재 + sysctl.d)' },
      scope: 'all',
      probes: () => ({ k: sysctlKey('net.ipv4.ip_forward') }),
      verdict: ({ k }) => {
        const expected = 'net.ipv4.ip_forward = 1 now, and set to 1 by a file under /etc/sysctl.d/ that wins at boot';
        const hint = {
          en: 'echo "net.ipv4.ip_forward = 1" > /etc/sysctl.d/k8s.conf && sysctl --system  (not = 0, as the summary slip says)',
          ko: 'echo "net.ipv4.ip_forward = 1" > /etc/sysctl.d/k8s.conf 후 sysctl --system (요약본의 = 0 은 오타입니다)',
        };
        const now = k.runtime.value ?? `unreadable (${k.runtime.error ?? '?'})`;
        const p = k.persisted;
        const boot = p ? `${p.path}:${p.lineNo} sets ${p.value}` : k.assignments.some((a) => a.negative) ? 'left unset' : 'no file sets it';
        const others = k.assignments.filter((a) => a !== p).map((a) => `${a.path}:${a.lineNo} ${a.negative ? `-${a.key} (negative match: leaves it unset)` : `${a.key} = ${a.value}`}${a.effective || a.negative ? '' : ' (overridden)'}`);
        const found = `now ${now}; at boot: ${boot}${others.length ? `; also ${others.join(', ')}` : ''}`;
        const ok = k.runtime.value === '1' && p?.value === '1' && p.path.startsWith('/etc/sysctl.d/');
        // /etc/sysctl.conf is read through /etc/sysctl.d/99-sysctl.conf on el9: the probe reports that link's target.
        const okConf = k.runtime.value === '1' && p?.value === '1' && p.path === '/etc/sysctl.conf';
        return ok || okConf ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd2.hosts',
      title: { en: '/etc/hosts names the cluster; hostname set', ko: '/etc/hosts 에 클러스터 이름 + 호스트 이름 설정' },
      scope: 'all',
      probes: () => ({ h: hosts() }),
      verdict: ({ h }, ctx) => {
        const want = Object.entries(ctx.eth1ByNode).map(([node, cidr]) => ({
          ip: cidr.split('/')[0]!,
          fqdn: ctx.hostnames[node] ?? node,
        }));
        const mine = ctx.hostnames[ctx.node] ?? ctx.node;
        const short = (n: string) => n.split('.')[0]!;
        const expected = `${want.map((w) => `${w.ip} ${w.fqdn} ${short(w.fqdn)}`).join('; ')} in /etc/hosts; hostname ${mine}`;
        const hint = {
          en: `Add the three lines to /etc/hosts, then hostnamectl set-hostname ${mine}`,
          ko: `/etc/hosts 에 세 줄을 추가하고 hostnamectl set-hostname ${mine} 를 실행하세요`,
        };
        const problems: string[] = [];
        for (const w of want) {
          const names = namesFor(h, w.ip);
          // glibc compares names case-insensitively, and a lookup takes the first line naming the host
          const same = (n: string, m: string) => n.toLowerCase() === m.toLowerCase();
          if (!names.some((n) => same(n, w.fqdn) || same(n, short(w.fqdn)))) {
            problems.push(`${w.ip} maps to ${names.length ? names.join(' ') : 'nothing'}`);
          }
          const first = resolveFirst(h, w.fqdn);
          if (first && first.ip !== w.ip) problems.push(`${w.fqdn} resolves to ${first.ip} first (/etc/hosts line ${first.lineNo})`);
        }
        const okName = (n: string | undefined) => n === mine || n === short(mine);
        if (!okName(h.hostname)) problems.push(`hostname is ${h.hostname || '(empty)'}`);
        if (!okName(h.etcHostname)) problems.push(`/etc/hostname holds ${h.etcHostname ?? '(nothing)'}`);
        const found = `${want.map((w) => `${w.ip} -> ${namesFor(h, w.ip).join(' ') || '(none)'}`).join('; ')}; hostname ${h.hostname}, /etc/hostname ${h.etcHostname ?? '(none)'}`;
        return problems.length ? fail(problems.join('; '), expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd2.policy',
      title: { en: 'policy.json: insecureAcceptAnything, no Red Hat signature rules', ko: 'policy.json: insecureAcceptAnything, Red Hat 서명 규칙 제거' },
      scope: 'all',
      probes: () => ({ p: policyJson() }),
      verdict: ({ p }) => {
        const expected = `/etc/containers/policy.json with default [insecureAcceptAnything] and no signature requirement for ${RH_REGISTRIES.join(' / ')}`;
        const hint = {
          en: 'Replace /etc/containers/policy.json with the short form from the notes: {"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker-daemon":{"":[{"type":"insecureAcceptAnything"}]}}}',
          ko: '/etc/containers/policy.json 을 노트의 짧은 형태로 바꾸세요: {"default":[{"type":"insecureAcceptAnything"}], ...}',
        };
        if (!p.exists) return fail('/etc/containers/policy.json does not exist', expected, hint);
        if (p.error) return fail(`podman refuses /etc/containers/policy.json: ${p.error}`, expected, hint);
        const rh = p.signedScopes.filter((s) => RH_REGISTRIES.some((r) => s === r || s.startsWith(`${r}/`)));
        const found = `default ${show(p.defaultTypes)}; signature rules for ${rh.length ? rh.join(', ') : 'no Red Hat registry'}`;
        const okDefault = p.defaultTypes.length === 1 && p.defaultTypes[0] === 'insecureAcceptAnything';
        return okDefault && !rh.length ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
  ],
});
