/**
 * Fault catalogue: ways a student's node can miss (or only seem to miss) an outcome of
 * ../shared/course/outcomes.md. Each script runs as root, over SSH, on a node that
 * scripts/solutions/day1.sh + day2.sh have solved, using only the node's own tools (stand-ins or real).
 *
 * - `valid: true` marks a variant a careless grader might fail: the outcome must still PASS.
 * - `alsoBreaks` names outcomes that cannot stay green when this one breaks (e.g. no image means no container).
 * - `node`: 'exercise' = apply on the day-1 exercise node (containers live there); 'all' = any node.
 * Scripts are re-runnable: they start from the solved state's pieces, not from a previous fault.
 */
import { RH_POLICY_JSON } from './fresh.ts';

export interface Fault {
  id: string;
  outcome: string;
  description: string;
  /** bash run as root on a SOLVED node */
  script: string;
  node?: 'exercise' | 'all';
  /** the outcome must still pass (a near-miss in the other direction) */
  valid?: boolean;
  /** other outcomes this fault necessarily breaks */
  alsoBreaks?: string[];
}

const IMG = 'quay.io/centos7/httpd-24-centos7';

// eth1's expected address and its NetworkManager profile (whatever it is called), as day1.sh finds them.
const ETH1 = String.raw`
n=$LAB_NODE; [ -n "$n" ] || n=$(hostname -s)
case "$n" in
  node1|control1) addr=192.168.90.110 ;; node2|worker1) addr=192.168.90.120 ;; node3|worker2) addr=192.168.90.130 ;;
  *) echo "unknown node $(hostname)" >&2; exit 2 ;;
esac
con=$(nmcli -t -f NAME,DEVICE con show | sed -n 's/:eth1$//p' | head -n 1 | sed -e 's/\\:/:/g' -e 's/\\\\/\\/g')
[ -n "$con" ] || con=$(nmcli -t -f NAME,FILENAME con show | grep -F "$(grep -l '^interface-name=eth1$' /etc/NetworkManager/system-connections/* | head -n 1)" | cut -d: -f1)
`;

// pod1 rebuilt from scratch with custom create args; containers and pod1.yaml as day1.sh makes them.
const repod = (createArgs: string, containers = [1, 2], yaml = '--service'): string => String.raw`
podman pod rm -f pod1 >/dev/null 2>&1 || true
podman pod create --name pod1 ${createArgs}
for n in ${containers.join(' ')}; do podman run -d --pod pod1 --name pod1-httpd-$n --network shared ${IMG} --port 8080; done
cd /root && rm -f pod1.yaml && podman generate kube pod1 ${yaml} --filename pod1.yaml
`;

// the container of d1.publish re-run with other arguments
const rerun = (args: string): string => String.raw`
# one name per call: podman rm refuses the whole list when one name does not exist
for c in httpd-24-centos-7 httpd-24-centos7; do podman rm -f "$c" >/dev/null 2>&1 || true; done
podman run -d ${args}
`;

const setReg = (line: string): string =>
  String.raw`sed -i -E 's/^[[:space:]]*unqualified-search-registries[[:space:]]*=.*/${line}/' /etc/containers/registries.conf` + '\n';

const crioRepo = (file: string, baseurl: string, enabled = 1): string => String.raw`
rm -f /etc/yum.repos.d/*cri-o*.repo /etc/yum.repos.d/crio.repo
cat >'/etc/yum.repos.d/${file}' <<'REPO'
[crio]
name=cri-o (${baseurl})
type=rpm-md
baseurl=${baseurl}
gpgcheck=1
enabled=${enabled}
REPO
`;

const OBS = 'https://download.opensuse.org/repositories';

const CATALOGUE: Fault[] = [
  // ---------------- d1.epel
  { id: 'epel-removed', outcome: 'd1.epel', node: 'exercise', description: 'epel-release removed after podman-compose was installed (dnf remove epel-release)',
    script: 'dnf remove -y epel-release\n' },
  // ---------------- d1.podman
  { id: 'podman-compose-missing', outcome: 'd1.podman', node: 'exercise', description: 'podman and podman-docker installed, podman-compose not',
    script: 'dnf remove -y podman-compose\n' },
  { id: 'podman-docker-missing', outcome: 'd1.podman', node: 'exercise', description: 'podman-docker missing (only rpm -e, nothing else touched)',
    script: 'rpm -e --nodeps podman-docker\n' },
  // ---------------- d1.registries
  { id: 'registries-docker-too', outcome: 'd1.registries', node: 'exercise', description: 'registries.conf lists quay.io and docker.io',
    script: setReg('unqualified-search-registries = ["quay.io", "docker.io"]') },
  { id: 'registries-rh-default', outcome: 'd1.registries', node: 'exercise', description: 'registries.conf still has the RHEL default list',
    script: setReg('unqualified-search-registries = ["registry.access.redhat.com", "registry.redhat.io", "docker.io"]') },
  { id: 'registries-quay-commented', outcome: 'd1.registries', node: 'exercise',
    description: 'the quay.io line is commented out and the default list is back: grep for "quay.io" alone would pass',
    script: setReg('# unqualified-search-registries = ["quay.io"]\\nunqualified-search-registries = ["registry.access.redhat.com", "registry.redhat.io", "docker.io"]') },
  { id: 'registries-dropin-overrides', outcome: 'd1.registries', node: 'exercise',
    description: 'registries.conf says quay.io but a drop-in in registries.conf.d replaces the list with docker.io',
    script: String.raw`printf '%s\n' 'unqualified-search-registries = ["docker.io"]' >/etc/containers/registries.conf.d/99-search.conf` + '\n' },
  { id: 'registries-dropin-only', outcome: 'd1.registries', node: 'exercise', valid: true,
    description: 'VALID: main file still has the RHEL default, a drop-in sets ["quay.io"] (drop-ins replace the list)',
    script: setReg('unqualified-search-registries = ["registry.access.redhat.com", "registry.redhat.io", "docker.io"]') +
      String.raw`printf '%s\n' 'unqualified-search-registries = ["quay.io"]' >/etc/containers/registries.conf.d/99-search.conf` + '\n' },
  { id: 'registries-single-quotes', outcome: 'd1.registries', node: 'exercise', valid: true,
    description: "VALID: TOML literal string, unqualified-search-registries = ['quay.io']",
    script: setReg("unqualified-search-registries = ['\"'\"'quay.io'\"'\"']") },
  { id: 'registries-multiline', outcome: 'd1.registries', node: 'exercise', valid: true,
    description: 'VALID: multi-line array with a trailing comma and a comment',
    script: setReg('unqualified-search-registries = [\\n  "quay.io", # the course registry\\n]') },
  // containers/image pkg/sysregistriesv2/system_registries_v2.go (issue 11): what podman itself does with these
  { id: 'registries-dropin-v1', outcome: 'd1.registries', node: 'exercise',
    // podman ps/images/pod ps never read registries.conf (measured: podman 4.3.1 lists as usual), so the
    // containers already running stay graded as running; only resolving a short name (pull/run/create) fails
    description: 'registries.conf says quay.io, and a drop-in repeats it in the legacy v1 form ([registries.search]): drop-ins must be v2, podman refuses to resolve short names',
    script: String.raw`printf '%s\n' '[registries.search]' "registries = ['quay.io']" >/etc/containers/registries.conf.d/50-legacy.conf` + '\n' },
  { id: 'registries-v1-main', outcome: 'd1.registries', node: 'exercise', valid: true,
    description: 'VALID: registries.conf rewritten in the legacy v1 form only ([registries.search] registries = ["quay.io"]): podman converts a v1 main file',
    script: String.raw`printf '%s\n' '[registries.search]' 'registries = ["quay.io"]' >/etc/containers/registries.conf` + '\n' },
  { id: 'registries-mix-empty-v1', outcome: 'd1.registries', node: 'exercise',
    description: 'quay.io set, plus an empty v1 table appended ([registries.block] registries = []): an empty v1 field still counts, podman refuses the v1/v2 mix when it resolves a short name',
    script: String.raw`printf '\n%s\n' '[registries.block]' 'registries = []' >>/etc/containers/registries.conf` + '\n' },
  { id: 'registries-root-file-docker', outcome: 'd1.registries', node: 'exercise',
    description: "registries.conf says quay.io, but root's own ~/.config/containers/registries.conf (read instead of it) says docker.io",
    script: String.raw`mkdir -p /root/.config/containers
printf '%s\n' 'unqualified-search-registries = ["docker.io"]' >/root/.config/containers/registries.conf
` },
  { id: 'registries-root-file-quay', outcome: 'd1.registries', node: 'exercise', valid: true,
    description: "VALID: registries.conf still has the RHEL default, root's own ~/.config/containers/registries.conf (read instead of it) sets [\"quay.io\"]",
    script: setReg('unqualified-search-registries = ["registry.access.redhat.com", "registry.redhat.io", "docker.io"]') + String.raw`mkdir -p /root/.config/containers
printf '%s\n' 'unqualified-search-registries = ["quay.io"]' >/root/.config/containers/registries.conf
` },
  // ---------------- d1.image
  { id: 'image-untagged', outcome: 'd1.image', node: 'exercise',
    description: 'the image is only in storage as <none> (untagged): containers still run from its ID',
    script: `podman untag ${IMG} || true\n` },
  // ---------------- d1.publish
  { id: 'publish-58081', outcome: 'd1.publish', node: 'exercise', alsoBreaks: ['d1.port'],
    description: 'container published on host port 58081 instead of 58080',
    script: rerun(`--name httpd-24-centos-7 -p 58081:8080 --rm ${IMG}`) },
  { id: 'publish-name-near-miss', outcome: 'd1.publish', node: 'exercise',
    description: 'container named httpd-24-centos7 (no dash before 7), correctly published: curl still answers',
    script: rerun(`--name httpd-24-centos7 -p 58080:8080 --rm ${IMG}`) },
  { id: 'publish-not-published', outcome: 'd1.publish', node: 'exercise', alsoBreaks: ['d1.port'],
    description: 'container running without -p (the first run of the notes)',
    script: rerun(`--name httpd-24-centos-7 --rm ${IMG}`) },
  { id: 'publish-swapped-ports', outcome: 'd1.publish', node: 'exercise', alsoBreaks: ['d1.port'],
    description: 'ports swapped: -p 8080:58080',
    script: rerun(`--name httpd-24-centos-7 -p 8080:58080 --rm ${IMG}`) },
  { id: 'publish-stopped', outcome: 'd1.publish', node: 'exercise', alsoBreaks: ['d1.port'],
    description: 'container created without --rm and then stopped: exists, not running',
    script: rerun(`--name httpd-24-centos-7 -p 58080:8080 ${IMG}`) + 'podman stop -t 1 httpd-24-centos-7\n' },
  { id: 'publish-no-rm', outcome: 'd1.publish', node: 'exercise', valid: true,
    description: 'VALID: run without --rm and with an explicit host IP (-p 0.0.0.0:58080:8080)',
    script: rerun(`--name httpd-24-centos-7 -p 0.0.0.0:58080:8080 ${IMG}`) },
  // ---------------- d1.port
  { id: 'port-nothing-listens', outcome: 'd1.port', node: 'exercise',
    description: 'right name, image and -p 58080:8080, running, but its command is `sleep`: nothing answers on 58080',
    script: rerun(`--name httpd-24-centos-7 -p 58080:8080 --rm ${IMG} sleep 1000000`) },
  // ---------------- d1.network
  { id: 'network-missing', outcome: 'd1.network', node: 'exercise', alsoBreaks: ['d1.pod'],
    description: 'no network "shared" (network rm -f also removed pod1\'s attachment; pod1 recreated on the default network)',
    script: 'podman network rm -f shared || true\n' + repod('--share uts,ipc,net').replace(/ --network shared/g, '') },
  // ---------------- d1.pod
  { id: 'pod-no-net-share', outcome: 'd1.pod', node: 'exercise', description: 'pod1 created with --share uts,ipc (no net)',
    script: repod('--network shared --share uts,ipc') },
  { id: 'pod-default-network', outcome: 'd1.pod', node: 'exercise', description: 'pod1 on the default podman network, not "shared"',
    script: repod('--share uts,ipc,net').replace(/ --network shared/g, '') },
  { id: 'pod-share-reordered', outcome: 'd1.pod', node: 'exercise', valid: true, description: 'VALID: --share net,ipc,uts (other order)',
    script: repod('--network shared --share net,ipc,uts') },
  // ---------------- d1.pod-containers
  { id: 'pod-missing-httpd-2', outcome: 'd1.pod-containers', node: 'exercise', description: 'pod1 holds only pod1-httpd-1',
    script: 'podman rm -f pod1-httpd-2 || true\n' },
  { id: 'pod-container-outside', outcome: 'd1.pod-containers', node: 'exercise',
    description: 'pod1-httpd-2 exists but outside the pod (run without --pod)',
    script: `podman rm -f pod1-httpd-2 || true\npodman run -d --name pod1-httpd-2 --network shared ${IMG} --port 8080\n` },
  { id: 'pod-containers-running', outcome: 'd1.pod-containers', node: 'exercise', valid: true,
    description: 'VALID: both pod containers run httpd (created without the notes\' `--port 8080`), not exited',
    script: String.raw`podman rm -f pod1-httpd-1 pod1-httpd-2 || true
podman run -d --pod pod1 --name pod1-httpd-1 ${IMG}
podman run -d --pod pod1 --name pod1-httpd-2 ${IMG}
` },
  // ---------------- d1.kube-yaml
  { id: 'kube-yaml-no-service', outcome: 'd1.kube-yaml', node: 'exercise', description: 'pod1.yaml generated without --service (Pod only)',
    script: 'cd /root && rm -f pod1.yaml && podman generate kube pod1 --filename pod1.yaml\n' },
  { id: 'kube-yaml-missing', outcome: 'd1.kube-yaml', node: 'exercise', description: 'pod1.yaml written to /tmp, none in /root',
    script: 'rm -f /root/pod1.yaml /tmp/pod1.yaml && podman generate kube pod1 --service --filename /tmp/pod1.yaml\n' },
  { id: 'kube-yaml-new-syntax', outcome: 'd1.kube-yaml', node: 'exercise', valid: true,
    description: 'VALID: made with `podman kube generate pod1 --service -f pod1.yaml` (the 4.3+ name)',
    script: 'cd /root && rm -f pod1.yaml && podman kube generate pod1 --service -f pod1.yaml\n' },
  // ---------------- d1.eth1
  { id: 'eth1-dhcp', outcome: 'd1.eth1', node: 'all',
    description: 'eth1 profile on DHCP (method auto); the address it holds is a dynamic lease (valid_lft 3600)',
    script: ETH1 + String.raw`nmcli con mod "$con" ipv4.method auto ipv4.addresses ""
nmcli con up "$con"
ip addr add "$addr/24" dev eth1 valid_lft 3600 preferred_lft 3600
` },
  { id: 'eth1-runtime-only', outcome: 'd1.eth1', node: 'all',
    description: 'eth1 has the address now (ip addr add) but the profile is still method auto with no address: lost at reboot',
    script: ETH1 + String.raw`nmcli con mod "$con" ipv4.method auto ipv4.addresses ""
nmcli con up "$con"
ip addr add "$addr/24" dev eth1
` },
  { id: 'eth1-profile-only', outcome: 'd1.eth1', node: 'all',
    description: 'profile right (manual, address, never-default) but not activated: eth1 has no address now',
    script: ETH1 + 'ip -4 addr flush dev eth1 scope global\n' },
  { id: 'eth1-never-default-missing', outcome: 'd1.eth1', node: 'all', description: 'ipv4.never-default left at no',
    script: ETH1 + 'nmcli con mod "$con" ipv4.never-default no\nnmcli con up "$con"\n' },
  { id: 'eth1-wrong-prefix', outcome: 'd1.eth1', node: 'all', description: 'address with /16 instead of /24',
    script: ETH1 + 'nmcli con mod "$con" ipv4.addresses "$addr/16"\nnmcli con up "$con"\n' },
  { id: 'eth1-other-node-address', outcome: 'd1.eth1', node: 'all', description: "eth1 carries another node's address (.140 is nobody's)",
    script: ETH1 + 'nmcli con mod "$con" ipv4.addresses 192.168.90.140/24\nnmcli con up "$con"\n' },
  { id: 'eth1-profile-renamed', outcome: 'd1.eth1', node: 'all', valid: true,
    description: 'VALID: the profile is called "eth1" (renamed from "Wired connection 1")',
    script: ETH1 + 'if [ "$con" != eth1 ]; then nmcli con mod "$con" connection.id eth1; fi\nnmcli con up eth1\n' },
  { id: 'eth1-new-profile', outcome: 'd1.eth1', node: 'all', valid: true,
    description: 'VALID: a new profile made with nmcli con add (ifname eth1), the old one deleted',
    script: ETH1 + String.raw`nmcli con delete "$con"
nmcli con add type ethernet con-name lab-eth1 ifname eth1 ipv4.method manual ipv4.addresses "$addr/24" ipv4.never-default yes
nmcli con up lab-eth1
` },
  { id: 'eth1-nmcli-version-warning', outcome: 'd1.eth1', node: 'all', valid: true,
    description: "VALID: NetworkManager updated by dnf and not restarted: every nmcli call warns on stderr that nmcli and NetworkManager versions don't match (the stand-in's running daemon set to 1.44.0)",
    script: 'printf "1.44.0\\n" >/run/labgrade/nm-daemon-version\nnmcli -t -f NAME con show >/dev/null\n' },
  // ---------------- d2.libcontainers-repo
  { id: 'libcontainers-repo-missing', outcome: 'd2.libcontainers-repo', node: 'all', description: 'the libcontainers .repo file was never written',
    script: "rm -f '/etc/yum.repos.d/devel:kubic:libcontainers:stable.repo' /etc/yum.repos.d/libcontainer.repo\n" },
  { id: 'libcontainers-repo-centos8', outcome: 'd2.libcontainers-repo', node: 'all', description: 'libcontainers repo for CentOS_8 instead of CentOS_9_Stream',
    script: "sed -i 's/CentOS_9_Stream/CentOS_8/g' '/etc/yum.repos.d/devel:kubic:libcontainers:stable.repo'\n" },
  { id: 'libcontainers-repo-disabled', outcome: 'd2.libcontainers-repo', node: 'all', description: 'libcontainers repo present with enabled=0',
    script: "sed -i 's/^enabled=.*/enabled=0/' '/etc/yum.repos.d/devel:kubic:libcontainers:stable.repo'\n" },
  // ---------------- d2.crio-repo
  { id: 'crio-repo-disabled', outcome: 'd2.crio-repo', node: 'all', description: 'cri-o repo file present with enabled=0 (cri-o already installed)',
    script: "sed -i 's/^enabled=.*/enabled=0/' /etc/yum.repos.d/*cri-o*.repo\n" },
  { id: 'crio-repo-1.23', outcome: 'd2.crio-repo', node: 'all', description: 'near-miss baseurl: cri-o:/1.23:/1.23.5',
    script: crioRepo('devel:kubic:libcontainers:stable:cri-o:1.23.repo', `${OBS}/devel:/kubic:/libcontainers:/stable:/cri-o:/1.23:/1.23.5/CentOS_8/`) },
  { id: 'crio-repo-version-project', outcome: 'd2.crio-repo', node: 'all', valid: true,
    description: 'VALID: the notes\' first curl ($VERSION=1.24.6): baseurl .../stable:/cri-o:/1.24.6/CentOS_8/',
    script: crioRepo('devel:kubic:libcontainers:stable:cri-o:1.24.6.repo', `${OBS}/devel:/kubic:/libcontainers:/stable:/cri-o:/1.24.6/CentOS_8/`) },
  // ---------------- d2.crio
  { id: 'crio-name-confusion', outcome: 'd2.crio', node: 'all', alsoBreaks: ['d2.crio-service'],
    description: '`dnf install crio` (no such package) instead of cri-o: nothing installed',
    script: 'systemctl disable --now crio || true\nrpm -e --nodeps cri-o\ndnf install -y crio || true\n' },
  // ---------------- d2.cri-tools
  { id: 'cri-tools-missing', outcome: 'd2.cri-tools', node: 'all', description: 'cri-tools not installed (crictl missing)',
    script: 'rpm -e --nodeps cri-tools\n' },
  // ---------------- d2.crio-service
  { id: 'crio-enabled-inactive', outcome: 'd2.crio-service', node: 'all', description: 'crio enabled but stopped (enable without --now)',
    script: 'systemctl stop crio\n' },
  { id: 'crio-active-not-enabled', outcome: 'd2.crio-service', node: 'all', description: 'crio running but not enabled (start without enable)',
    script: 'systemctl disable crio\nsystemctl start crio\n' },
  // ---------------- d2.selinux
  { id: 'selinux-runtime-only', outcome: 'd2.selinux', node: 'all', description: 'setenforce 0 only: /etc/selinux/config still SELINUX=enforcing',
    script: "setenforce 0\nsed -i 's/^SELINUX=.*/SELINUX=enforcing/' /etc/selinux/config\n" },
  { id: 'selinux-config-only', outcome: 'd2.selinux', node: 'all', description: 'SELINUX=permissive in the config but runtime still Enforcing',
    script: "sed -i 's/^SELINUX=.*/SELINUX=permissive/' /etc/selinux/config\nsetenforce 1\n" },
  { id: 'selinux-config-disabled', outcome: 'd2.selinux', node: 'all', description: 'config says SELINUX=disabled (runtime Permissive)',
    script: "setenforce 0\nsed -i 's/^SELINUX=.*/SELINUX=disabled/' /etc/selinux/config\n" },
  // libselinux selinux_config.c selinux_getenforcemode() (issue 11): what the boot reads
  { id: 'selinux-appended-permissive', outcome: 'd2.selinux', node: 'all',
    description: 'SELINUX=enforcing left in place and SELINUX=permissive appended (echo >>): libselinux takes the FIRST line, the node boots enforcing',
    script: "setenforce 0\nsed -i 's/^SELINUX=.*/SELINUX=enforcing/' /etc/selinux/config\necho SELINUX=permissive >>/etc/selinux/config\n" },
  { id: 'selinux-trailing-comment', outcome: 'd2.selinux', node: 'all', valid: true,
    description: 'VALID: SELINUX=Permissive   # kubernetes course (case and a trailing comment: libselinux matches a case-insensitive prefix)',
    script: "setenforce 0\nsed -i 's/^SELINUX=.*/SELINUX=Permissive   # kubernetes course/' /etc/selinux/config\n" },
  // ---------------- d2.k8s-repo
  { id: 'k8s-repo-unparsable-line', outcome: 'd2.k8s-repo', node: 'all',
    description: 'kubernetes.repo right, plus one line without "=" (sslverify 1): libdnf cannot parse the file and dnf skips it whole',
    script: "printf 'sslverify 1\\n' >>/etc/yum.repos.d/kubernetes.repo\n" },
  { id: 'k8s-repo-no-exclude', outcome: 'd2.k8s-repo', node: 'all', description: 'kubernetes.repo without the exclude= line',
    script: "sed -i '/^exclude=/d' /etc/yum.repos.d/kubernetes.repo\n" },
  { id: 'k8s-repo-wrong-version', outcome: 'd2.k8s-repo', node: 'all', description: 'baseurl for v1.28 instead of v1.24',
    script: "sed -i 's#/v1.24/#/v1.28/#g' /etc/yum.repos.d/kubernetes.repo\n" },
  { id: 'k8s-repo-other-name', outcome: 'd2.k8s-repo', node: 'all', description: 'right content, but in /etc/yum.repos.d/k8s.repo (not kubernetes.repo)',
    script: 'mv -f /etc/yum.repos.d/kubernetes.repo /etc/yum.repos.d/k8s.repo\n' },
  { id: 'k8s-repo-exclude-reordered', outcome: 'd2.k8s-repo', node: 'all', valid: true,
    description: 'VALID: the exclude= names in another order',
    script: "sed -i 's/^exclude=.*/exclude=kubernetes-cni cri-tools kubectl kubeadm kubelet/' /etc/yum.repos.d/kubernetes.repo\n" },
  // ---------------- d2.k8s-packages
  { id: 'kubelet-not-enabled', outcome: 'd2.k8s-packages', node: 'all', description: 'kubelet installed but not enabled',
    script: 'systemctl disable --now kubelet\n' },
  { id: 'kubectl-missing', outcome: 'd2.k8s-packages', node: 'all', description: 'kubectl not installed (kubelet, kubeadm are)',
    script: 'rpm -e --nodeps kubectl\n' },
  { id: 'kubelet-active', outcome: 'd2.k8s-packages', node: 'all', valid: true,
    description: 'VALID: kubelet enabled and actually running (it has a config); day 2 does not require either state',
    script: 'mkdir -p /var/lib/kubelet && touch /var/lib/kubelet/config.yaml\nsystemctl restart kubelet\n' },
  // ---------------- d2.firewalld
  { id: 'firewalld-stopped-enabled', outcome: 'd2.firewalld', node: 'all', description: 'firewalld stopped but still enabled (back at the next boot)',
    script: 'systemctl unmask firewalld\nsystemctl enable firewalld\nsystemctl stop firewalld\n' },
  { id: 'firewalld-disabled-running', outcome: 'd2.firewalld', node: 'all', description: 'firewalld disabled but still running (disable without --now)',
    script: 'systemctl unmask firewalld\nsystemctl disable firewalld\nsystemctl start firewalld\n' },
  { id: 'firewalld-masked', outcome: 'd2.firewalld', node: 'all', valid: true, description: 'VALID: firewalld stopped and masked',
    script: 'systemctl disable --now firewalld\nsystemctl mask firewalld\n' },
  // ---------------- d2.swap
  { id: 'swap-commented-still-active', outcome: 'd2.swap', node: 'all', description: 'swap line commented in fstab but swap still active (no swapoff -a)',
    script: 'swapon /dev/mapper/rl-swap || true\n' },
  { id: 'swap-off-fstab-active', outcome: 'd2.swap', node: 'all', description: 'swapoff -a done but the fstab swap line is still active (back at boot)',
    script: "swapoff -a\nsed -i -E 's/^#+(.*[[:space:]]swap[[:space:]].*)$/\\1/' /etc/fstab\n" },
  { id: 'swap-line-deleted', outcome: 'd2.swap', node: 'all', valid: true, description: 'VALID: the swap line deleted from fstab instead of commented',
    script: "swapoff -a\nsed -i -E '/^#?[^#]*[[:space:]]swap[[:space:]]/d' /etc/fstab\n" },
  { id: 'swap-line-noauto', outcome: 'd2.swap', node: 'all', valid: true,
    description: 'VALID: swapoff -a, and the fstab swap line kept uncommented with noauto (swapon -a and systemd-fstab-generator skip it at boot)',
    script: "swapoff -a\nsed -i -E 's/^#+(.*[[:space:]]swap[[:space:]]+)defaults(.*)$/\\1defaults,noauto\\2/' /etc/fstab\ngrep -q 'defaults,noauto' /etc/fstab\n" },
  // ---------------- d2.br-netfilter
  { id: 'br-netfilter-not-persisted', outcome: 'd2.br-netfilter', node: 'all', description: 'br_netfilter loaded (modprobe) but not named in /etc/modules-load.d',
    script: 'printf "overlay\\n" >/etc/modules-load.d/k8s.conf\nmodprobe br_netfilter\n' },
  { id: 'br-netfilter-not-loaded', outcome: 'd2.br-netfilter', node: 'all', description: 'named in modules-load.d/k8s.conf but not loaded now',
    script: 'modprobe -r br_netfilter\n' },
  { id: 'br-netfilter-own-file', outcome: 'd2.br-netfilter', node: 'all', valid: true,
    description: 'VALID: listed in /etc/modules-load.d/br_netfilter.conf instead of k8s.conf',
    script: 'printf "overlay\\n" >/etc/modules-load.d/k8s.conf\nprintf "br_netfilter\\n" >/etc/modules-load.d/br_netfilter.conf\nmodprobe br_netfilter\n' },
  // ---------------- d2.ip-forward
  { id: 'ip-forward-file-0', outcome: 'd2.ip-forward', node: 'all',
    description: 'the course summary slip: net.ipv4.ip_forward = 0 in sysctl.d while the runtime value is 1',
    script: "sed -i 's/^net.ipv4.ip_forward.*/net.ipv4.ip_forward = 0/' /etc/sysctl.d/k8s.conf\nsysctl -w net.ipv4.ip_forward=1\n" },
  { id: 'ip-forward-runtime-0', outcome: 'd2.ip-forward', node: 'all', description: 'file says 1 but runtime is 0 (sysctl --system never run)',
    script: 'sysctl -w net.ipv4.ip_forward=0\n' },
  { id: 'ip-forward-later-file-0', outcome: 'd2.ip-forward', node: 'all',
    description: 'k8s.conf says 1 but zz-router.conf, applied after it (sysctl.d sorts file names bytewise), says 0: the boot value is 0',
    script: "printf 'net.ipv4.ip_forward = 0\\n' >/etc/sysctl.d/zz-router.conf\nsysctl -w net.ipv4.ip_forward=1\n" },
  { id: 'ip-forward-sysctl-conf', outcome: 'd2.ip-forward', node: 'all', valid: true,
    description: 'VALID: set in /etc/sysctl.conf, which /etc/sysctl.d/99-sysctl.conf links to; k8s.conf keeps only the bridge keys',
    script: "sed -i '/ip_forward/d' /etc/sysctl.d/k8s.conf\nprintf 'net.ipv4.ip_forward=1\\n' >>/etc/sysctl.conf\nsysctl --system >/dev/null\n" },
  // systemd 252 src/sysctl/sysctl.c (issue 11): what the boot's systemd-sysctl applies
  { id: 'ip-forward-negative-match', outcome: 'd2.ip-forward', node: 'all',
    description: 'k8s.conf says 1, but a later file has "-net.ipv4.ip_forward" (no "="): a negative match, the boot leaves the key unset',
    script: "printf -- '-net.ipv4.ip_forward\\n' >/etc/sysctl.d/zz-forward.conf\nsysctl -w net.ipv4.ip_forward=1\n" },
  { id: 'ip-forward-glob-later', outcome: 'd2.ip-forward', node: 'all', valid: true,
    description: 'VALID: a later file sets the glob net.ipv4.ip_forw* = 0: an explicit key beats any glob, whatever the file order',
    script: "printf 'net.ipv4.ip_forw* = 0\\n' >/etc/sysctl.d/zz-glob.conf\n" },
  { id: 'ip-forward-leading-slash', outcome: 'd2.ip-forward', node: 'all', valid: true,
    description: 'VALID: k8s.conf writes the key in path form with a leading slash: /net/ipv4/ip_forward = 1',
    script: "sed -i 's#^net.ipv4.ip_forward.*#/net/ipv4/ip_forward = 1#' /etc/sysctl.d/k8s.conf\ngrep -qx '/net/ipv4/ip_forward = 1' /etc/sysctl.d/k8s.conf\n" },
  // ---------------- d2.hosts
  { id: 'hosts-loopback-first', outcome: 'd2.hosts', node: 'all',
    description: 'the three lines are there, but an earlier line maps worker1 to 127.0.1.1: a lookup takes the first line naming a host',
    script: "sed -i '1i 127.0.1.1   worker1.example.com worker1' /etc/hosts\n" },
  { id: 'hosts-upper-case', outcome: 'd2.hosts', node: 'all', valid: true,
    description: 'VALID: names written in capitals (Worker1.Example.com): glibc matches host names case-insensitively',
    script: "sed -i -E 's/(worker1|worker2|control1)\\.example\\.com/\\u\\1.Example.com/g' /etc/hosts\ngrep -q 'Worker1.Example.com' /etc/hosts\n" },
  { id: 'hosts-missing-worker2', outcome: 'd2.hosts', node: 'all', description: '/etc/hosts has control1 and worker1 only',
    script: "sed -i '/worker2/d' /etc/hosts\n" },
  { id: 'hosts-wrong-ip', outcome: 'd2.hosts', node: 'all', description: 'worker1 mapped to 192.168.90.121',
    script: "sed -i 's/^192\\.168\\.90\\.120\\([[:space:]]\\)/192.168.90.121\\1/' /etc/hosts\n" },
  { id: 'hostname-not-set', outcome: 'd2.hosts', node: 'all', description: 'hosts entries fine, hostname never changed (still node1/node2/node3)',
    script: String.raw`case "$(hostname -s)" in control1) h=node1 ;; worker1) h=node2 ;; worker2) h=node3 ;; *) h=$(hostname -s) ;; esac
hostnamectl set-hostname "$h"
` },
  { id: 'hosts-short-first', outcome: 'd2.hosts', node: 'all', valid: true,
    description: 'VALID: entries written short name first, tab-separated (192.168.90.110<TAB>control1 control1.example.com)',
    script: String.raw`sed -i '/192\.168\.90\.1[123]0/d' /etc/hosts
printf '192.168.90.110\tcontrol1 control1.example.com\n192.168.90.120\tworker1 worker1.example.com\n192.168.90.130\tworker2 worker2.example.com\n' >>/etc/hosts
` },
  // ---------------- d2.policy
  { id: 'policy-duplicate-default', outcome: 'd2.policy', node: 'all',
    description: 'the short form, with "default" written twice (reject, then insecureAcceptAnything): JSON.parse keeps the last, podman refuses a duplicated key',
    script: String.raw`printf '%s\n' '{"default":[{"type":"reject"}],"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker-daemon":{"":[{"type":"insecureAcceptAnything"}]}}}' >/etc/containers/policy.json
` },
  { id: 'policy-rh-default', outcome: 'd2.policy', node: 'all',
    description: 'policy.json still the RHEL default (default insecureAcceptAnything, but Red Hat registries need signatures)',
    script: `cat >/etc/containers/policy.json <<'JSON'\n${RH_POLICY_JSON}JSON\n` },
  { id: 'policy-redhat-entry-left', outcome: 'd2.policy', node: 'all', description: 'short form, but a signedBy entry for registry.redhat.io kept',
    script: String.raw`cat >/etc/containers/policy.json <<'JSON'
{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker":{"registry.redhat.io":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release"}]},"docker-daemon":{"":[{"type":"insecureAcceptAnything"}]}}}
JSON
` },
  { id: 'policy-one-line', outcome: 'd2.policy', node: 'all', valid: true, description: 'VALID: the short form on one line, as the notes print it',
    script: String.raw`printf '%s\n' '{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker-daemon":{"":[{"type":"insecureAcceptAnything"}]}}}' >/etc/containers/policy.json
` },
];

/** Every script stops at its first failing command, so a fault that did not apply is an error, not a silent pass. */
export const FAULTS: Fault[] = CATALOGUE.map((f) => ({ ...f, script: `set -e\n${f.script}` }));
