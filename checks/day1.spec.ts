/**
 * Day 1: containers with podman (../shared/course/outcomes.md, "Day 1").
 * One test per outcome id per student per node where it applies.
 */
import { check } from '../src/grade/course.ts';
import { podmanTrouble } from '../src/grade/verdicts.ts';
import { fail, packagesInstalled, pass, show } from '../src/grade/verdicts.ts';
import { gradeDay } from '../src/grade/vitest.ts';
import {
  eth1,
  findImage,
  httpLocal,
  kubeYaml,
  podmanState,
  publishes,
  registriesConf,
  rpmPackages,
  sameImage,
  type PortMapping,
} from '../src/probes/index.ts';

const IMAGE = 'quay.io/centos7/httpd-24-centos7';
const CONTAINER = 'httpd-24-centos-7';
const POD = 'pod1';
const POD_CONTAINERS = ['pod1-httpd-1', 'pod1-httpd-2'];
const SHARED_NS = ['uts', 'ipc', 'net'];
// one probe, one channel and three podman processes on a solved node for every podman check (src/probes/podman.ts)
const PODMAN = () => podmanState({ network: 'shared', pod: POD });

const ports = (ps: PortMapping[]) =>
  ps.length ? ps.map((p) => `${p.hostIp || '*'}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ') : 'no published ports';

gradeDay({
  day: 1,
  checks: [
    check({
      id: 'd1.epel',
      title: { en: 'epel-release installed', ko: 'epel-release 설치' },
      scope: 'exercise',
      probes: () => ({ rpm: rpmPackages(['epel-release']) }),
      verdict: ({ rpm }) =>
        packagesInstalled(rpm, ['epel-release'], { en: 'dnf install -y epel-release', ko: 'dnf install -y epel-release 를 실행하세요' }),
    }),
    check({
      id: 'd1.podman',
      title: { en: 'podman, podman-docker, podman-compose installed', ko: 'podman, podman-docker, podman-compose 설치' },
      scope: 'exercise',
      probes: () => ({ rpm: rpmPackages(['podman', 'podman-docker', 'podman-compose']) }),
      verdict: ({ rpm }) =>
        packagesInstalled(rpm, ['podman', 'podman-docker', 'podman-compose'], {
          en: 'dnf install -y podman podman-docker podman-compose (podman-compose comes from EPEL: install epel-release first)',
          ko: 'dnf install -y podman podman-docker podman-compose (podman-compose 는 EPEL 에 있으므로 epel-release 를 먼저 설치)',
        }),
    }),
    check({
      id: 'd1.registries',
      title: { en: 'unqualified-search-registries is ["quay.io"]', ko: 'unqualified-search-registries = ["quay.io"]' },
      scope: 'exercise',
      probes: () => ({ reg: registriesConf() }),
      verdict: ({ reg }) => {
        const expected = 'unqualified-search-registries = ["quay.io"] (registries.conf and its drop-ins)';
        const hint = {
          en: 'Edit /etc/containers/registries.conf: unqualified-search-registries = ["quay.io"]; a file in registries.conf.d/ that sets the key overrides it. Check with: grep -Ev \'^#|^$\' /etc/containers/registries.conf',
          ko: '/etc/containers/registries.conf 에 unqualified-search-registries = ["quay.io"] 로 수정하세요. registries.conf.d/ 안의 파일이 같은 키를 설정하면 그 값이 우선합니다.',
        };
        if (reg.error) return fail(`podman cannot read its registries configuration: ${reg.error}`, expected, hint);
        if (!reg.mainFileExists && reg.list === null) return fail('/etc/containers/registries.conf does not exist', expected, hint);
        const found = reg.list === null ? 'no unqualified-search-registries set in any file' : `${reg.source} sets ${show(reg.list)}`;
        return reg.list?.length === 1 && reg.list[0] === 'quay.io' ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd1.image',
      title: { en: `image ${IMAGE} pulled`, ko: `이미지 ${IMAGE} 받기` },
      scope: 'exercise',
      probes: () => ({ st: PODMAN() }),
      verdict: ({ st: { images } }) => {
        const expected = `${IMAGE} in local storage (podman images)`;
        const hint = { en: `podman pull ${IMAGE} (or podman run it)`, ko: `podman pull ${IMAGE} 로 이미지를 받으세요` };
        const trouble = podmanTrouble(images, 'podman images');
        if (trouble) return fail(trouble, expected, hint);
        const hit = findImage(images, IMAGE);
        const names = images.images.flatMap((i) => i.names);
        const found = hit ? `${hit.names.join(', ')} (${hit.id.slice(0, 12)})` : `images: ${names.length ? names.join(', ') : 'none'}`;
        return hit ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd1.publish',
      title: { en: `container ${CONTAINER} running with 58080->8080`, ko: `컨테이너 ${CONTAINER} 실행, 58080->8080 공개` },
      scope: 'exercise',
      needs: ['d1.image'],
      probes: () => ({ st: PODMAN() }),
      verdict: ({ st: { containers: ps } }) => {
        const expected = `a running container named ${CONTAINER} from ${IMAGE} publishing host port 58080 to container port 8080/tcp`;
        const hint = {
          en: `podman run -d --name ${CONTAINER} -p 58080:8080 ${IMAGE}`,
          ko: `podman run -d --name ${CONTAINER} -p 58080:8080 ${IMAGE} 로 실행하세요`,
        };
        const trouble = podmanTrouble(ps, 'podman ps');
        if (trouble) return fail(trouble, expected, hint);
        const c = ps.containers.find((x) => x.names.includes(CONTAINER));
        if (!c) {
          const others = ps.containers.filter((x) => !x.isInfra).map((x) => `${x.name} (${x.state}, ${ports(x.ports)})`);
          return fail(`no container named ${CONTAINER}; containers: ${others.length ? others.join('; ') : 'none'}`, expected, hint);
        }
        const problems: string[] = [];
        if (!sameImage(c.image, IMAGE)) problems.push(`image ${c.image}`);
        if (c.state !== 'running') problems.push(`state ${c.state} (${c.status})`);
        if (!publishes(c.ports, 58080, 8080)) problems.push(`ports ${ports(c.ports)}`);
        const found = `${CONTAINER}: ${c.state}, image ${c.image}, ${ports(c.ports)}`;
        return problems.length ? fail(`${CONTAINER}: ${problems.join(', ')}`, expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd1.port',
      title: { en: 'curl localhost:58080 answers', ko: 'curl localhost:58080 응답' },
      scope: 'exercise',
      needs: ['d1.publish'],
      probes: () => ({ http: httpLocal(58080) }),
      verdict: ({ http }) => {
        const expected = 'an HTTP response from http://localhost:58080/ on the node (any status; the httpd image answers 403)';
        const hint = {
          en: 'The container runs but nothing answers on 58080: check `podman port httpd-24-centos-7` and `podman logs httpd-24-centos-7`.',
          ko: '컨테이너는 있지만 58080 에서 응답이 없습니다. `podman port httpd-24-centos-7`, `podman logs httpd-24-centos-7` 를 확인하세요.',
        };
        switch (http.kind) {
          case 'status':
            return pass(`HTTP ${http.status}`, expected);
          case 'refused':
            return fail('connection refused on localhost:58080', expected, hint);
          case 'timeout':
            return fail('no answer on localhost:58080 within 5 s', expected, hint);
          case 'missing':
            return fail(`${http.tool} is not installed on the node`, expected, hint);
          case 'error':
            return fail(`curl failed (exit ${http.curlExit})`, expected, hint);
        }
      },
    }),
    check({
      id: 'd1.network',
      title: { en: 'podman network "shared"', ko: 'podman 네트워크 "shared"' },
      scope: 'exercise',
      probes: () => ({ st: PODMAN() }),
      verdict: ({ st: { networks: nets } }) => {
        const expected = 'a podman network named shared';
        const hint = { en: 'podman network create shared', ko: 'podman network create shared 를 실행하세요' };
        const trouble = podmanTrouble(nets, 'podman network ls');
        if (trouble) return fail(trouble, expected, hint);
        const n = nets.networks.find((x) => x.name === 'shared');
        const found = n
          ? n.seenIn
            ? `network shared (in use by ${n.seenIn.join(', ')})`
            : `network shared (${n.driver}, ${n.subnets.map((s) => s.subnet).join(', ') || 'no subnet'})`
          : `networks: ${nets.networks.map((x) => x.name).join(', ') || 'none'}`;
        return n ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd1.pod',
      title: { en: 'pod1 on network shared, sharing uts,ipc,net', ko: 'pod1 (shared 네트워크, uts,ipc,net 공유)' },
      scope: 'exercise',
      needs: ['d1.network'],
      probes: () => ({ st: PODMAN() }),
      verdict: ({ st: { pod } }) => {
        const expected = `pod ${POD} with an infra container, on network shared, sharing ${SHARED_NS.join(', ')}`;
        const hint = {
          en: `podman pod rm -f ${POD}; podman pod create --name ${POD} --network shared --share uts,ipc,net`,
          ko: `podman pod rm -f ${POD} 후 podman pod create --name ${POD} --network shared --share uts,ipc,net 로 다시 만드세요`,
        };
        const trouble = podmanTrouble(pod, 'podman pod inspect');
        if (trouble) return fail(trouble, expected, hint);
        if (!pod.exists || !pod.pod) return fail(`no pod named ${POD}`, expected, hint);
        const p = pod.pod;
        const problems: string[] = [];
        if (!p.hasInfra) problems.push('no infra container');
        if (!p.networks.includes('shared')) problems.push(`networks ${show(p.networks)}`);
        const missingNs = SHARED_NS.filter((n) => !p.sharedNamespaces.includes(n));
        if (missingNs.length) problems.push(`shares ${show(p.sharedNamespaces)} (not ${missingNs.join(', ')})`);
        const found = `${POD}: ${p.state}, infra ${p.hasInfra ? 'yes' : 'no'}, networks ${show(p.networks)}, shares ${show(p.sharedNamespaces)}`;
        return problems.length ? fail(`${POD}: ${problems.join(', ')}`, expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd1.pod-containers',
      title: { en: 'pod1 holds pod1-httpd-1 and pod1-httpd-2', ko: 'pod1 에 pod1-httpd-1, pod1-httpd-2' },
      scope: 'exercise',
      needs: ['d1.pod'],
      probes: () => ({ st: PODMAN() }),
      // Not "running": the course passes `--port 8080` after the image, replacing its command, so on a
      // real node both containers exist and exit at once. Existing in pod1 from the image is the outcome.
      verdict: ({ st: { containers: ps, pod } }) => {
        const expected = `${POD_CONTAINERS.join(' and ')} in ${POD}, from ${IMAGE} (running or exited)`;
        const hint = {
          en: `podman run -d --pod ${POD} --name pod1-httpd-N ${IMAGE}`,
          ko: `podman run -d --pod ${POD} --name pod1-httpd-N ${IMAGE} 로 컨테이너를 pod1 에 추가하세요`,
        };
        const trouble = podmanTrouble(ps, 'podman ps');
        if (trouble) return fail(trouble, expected, hint);
        const podId = pod.pod?.id ?? '';
        const members = ps.containers.filter((c) => !c.isInfra && podId !== '' && c.podId === podId);
        const problems: string[] = [];
        for (const name of POD_CONTAINERS) {
          const c = ps.containers.find((x) => x.names.includes(name));
          if (!c) problems.push(`${name} does not exist`);
          else if (c.podId !== podId) problems.push(`${name} is not in ${POD}${c.podName ? ` (in ${c.podName})` : ''}`);
          else if (!sameImage(c.image, IMAGE)) problems.push(`${name} runs ${c.image}`);
        }
        const found = `${POD} holds ${members.length ? members.map((c) => `${c.name} (${c.state})`).join(', ') : 'no containers besides infra'}`;
        return problems.length ? fail(`${problems.join('; ')}; ${found}`, expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd1.kube-yaml',
      title: { en: 'pod1.yaml from podman generate kube --service', ko: 'podman generate kube --service 로 만든 pod1.yaml' },
      scope: 'exercise',
      probes: (ctx) => ({ y: kubeYaml(ctx.kubeYamlDir, 'pod1.yaml') }),
      verdict: ({ y }) => {
        const expected = `${y.path} holding a Pod named ${POD} and a Service`;
        const hint = {
          en: `cd ${y.path.replace(/\/[^/]*$/, '') || '/'} && podman generate kube ${POD} --service --filename pod1.yaml`,
          ko: `${y.path.replace(/\/[^/]*$/, '') || '/'} 에서 podman generate kube ${POD} --service --filename pod1.yaml 를 실행하세요`,
        };
        if (!y.exists) {
          const near = y.nearMisses.length ? `; found instead: ${y.nearMisses.join(', ')}` : '';
          return fail(`${y.path} does not exist${near}`, expected, hint);
        }
        if (y.error) return fail(`${y.path} is not valid YAML: ${y.error}`, expected, hint);
        const kinds = y.docs.map((d) => `${d.kind ?? '?'}${d.name ? ` ${d.name}` : ''}`);
        const found = `${y.path}: ${kinds.join(', ') || 'no documents'}`;
        const hasPod = y.docs.some((d) => d.kind === 'Pod' && d.name === POD);
        const hasService = y.docs.some((d) => d.kind === 'Service');
        return hasPod && hasService ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd1.eth1',
      title: { en: 'eth1 static address, persisted in NetworkManager', ko: 'eth1 고정 IP (NetworkManager 에 저장)' },
      scope: 'all',
      probes: () => ({ e: eth1('eth1') }),
      verdict: ({ e }, ctx) => {
        const want = ctx.eth1;
        const expected = `eth1 has ${want} now; the NetworkManager profile bound to eth1 has ipv4.method manual, ipv4.addresses ${want}, ipv4.never-default yes, saved to disk`;
        const hint = {
          en: `nmcli con mod "<profile of eth1>" ipv4.method manual ipv4.addresses ${want} ipv4.never-default yes && nmcli con up "<profile of eth1>" (or nmtui edit)`,
          ko: `nmcli con mod "<eth1 프로파일>" ipv4.method manual ipv4.addresses ${want} ipv4.never-default yes 후 nmcli con up "<eth1 프로파일>" (또는 nmtui edit)`,
        };
        if (!e.runtime.exists) return fail(`device eth1 does not exist${e.runtime.error ? ` (${e.runtime.error})` : ''}`, expected, hint);
        const problems: string[] = [];
        const addrs = e.runtime.addresses.map((a) => `${a.address}/${a.prefixlen}${a.dynamic ? ' dynamic' : ''}`);
        const now = e.runtime.addresses.find((a) => `${a.address}/${a.prefixlen}` === want);
        if (!now) problems.push(`eth1 has ${addrs.length ? addrs.join(', ') : 'no IPv4 address'} now`);
        else if (now.dynamic) problems.push(`eth1's ${want} is a DHCP (dynamic) address`);
        const p = e.bound;
        if (!p) {
          problems.push(`no NetworkManager profile is bound to eth1${e.nm.error ? ` (${e.nm.error})` : ''}`);
        } else {
          const bad: string[] = [];
          if (p.method !== 'manual') bad.push(`ipv4.method ${p.method ?? '(unset)'}`);
          if (!p.addresses.includes(want)) bad.push(`ipv4.addresses ${p.addresses.length ? p.addresses.join(', ') : '(none)'}`);
          if (p.neverDefault !== true) bad.push(`ipv4.never-default ${p.neverDefault === false ? 'no' : '(unset)'}`);
          if (e.boundInRunOnly) bad.push('kept only in /run (not saved: lost at reboot)');
          else if (e.boundPersisted) {
            const f = e.boundPersisted;
            if (f.method && f.method !== p.method) bad.push(`${f.path} says method=${f.method}, the running profile ${p.method}`);
            if (!f.addresses.includes(want)) bad.push(`${f.path} holds ${f.addresses.join(', ') || 'no address'} (saved file differs from the running profile)`);
          }
          if (bad.length) problems.push(`profile "${p.name}": ${bad.join(', ')}`);
        }
        const found = `eth1 ${addrs.join(', ') || 'no IPv4'}; ${p ? `profile "${p.name}": ${p.method ?? '?'}, ${p.addresses.join(', ') || 'no address'}, never-default ${p.neverDefault ? 'yes' : 'no'}` : 'no profile'}`;
        return problems.length ? fail(problems.join('; '), expected, hint) : pass(found, expected);
      },
    }),
  ],
});
