#!/usr/bin/env bash
# Day 2 on every node (outcomes d2.*): node preparation for Kubernetes 1.24 with CRI-O 1.24.6.
# Non-interactive, safe to run twice. The .repo files are written with the content the course's
# URLs serve, so no download is needed (download.opensuse.org / pkgs.k8s.io).
set -euo pipefail
# which node this is: LAB_NODE, else the hostname (self-contained: the script may arrive on stdin)
lab_node() {
  if [ -n "${LAB_NODE:-}" ]; then echo "$LAB_NODE"; return; fi
  case "$(hostname -s 2>/dev/null || hostname)" in
    node1|control1) echo node1 ;;
    node2|worker1) echo node2 ;;
    node3|worker2) echo node3 ;;
    *) echo "cannot tell which node this is from hostname '$(hostname)'; set LAB_NODE=node1|node2|node3" >&2; return 1 ;;
  esac
}
node_addr() { case $1 in node1) echo 192.168.90.110 ;; node2) echo 192.168.90.120 ;; node3) echo 192.168.90.130 ;; esac; }
node_fqdn() { case $1 in node1) echo control1.example.com ;; node2) echo worker1.example.com ;; node3) echo worker2.example.com ;; esac; }
step() { printf '\n### %s\n' "$*"; }
node=$(lab_node)

step "SELinux permissive now and at boot (d2.selinux)"
[ "$(getenforce)" = Disabled ] || setenforce 0
sed -i 's/^SELINUX=.*/SELINUX=permissive/' /etc/selinux/config

step "no swap (d2.swap)"
swapoff -a
sed -i -E 's/^([^#].*[[:space:]]swap[[:space:]].*)$/#\1/' /etc/fstab

step "firewalld stopped and disabled (d2.firewalld)"
if systemctl is-enabled firewalld >/dev/null 2>&1 || systemctl is-active firewalld >/dev/null 2>&1; then
  systemctl disable --now firewalld
fi

step "br_netfilter + overlay, now and at boot (d2.br-netfilter)"
cat >/etc/modules-load.d/k8s.conf <<'CONF'
overlay
br_netfilter
CONF
modprobe overlay
modprobe br_netfilter

step "ip_forward and bridge netfilter (d2.ip-forward)"
cat >/etc/sysctl.d/k8s.conf <<'CONF'
net.bridge.bridge-nf-call-iptables  = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward                 = 1
CONF
sysctl --system

step "hosts and hostname (d2.hosts)"
while read -r ip fqdn short; do
  grep -Eq "^[[:space:]]*${ip//./\\.}[[:space:]]" /etc/hosts || echo "$ip $fqdn $short" >>/etc/hosts
done <<'HOSTS'
192.168.90.110 control1.example.com control1
192.168.90.120 worker1.example.com worker1
192.168.90.130 worker2.example.com worker2
HOSTS
hostnamectl set-hostname "$(node_fqdn "$node")"

step "policy.json: accept anything (d2.policy)"
cat >/etc/containers/policy.json <<'JSON'
{
    "default": [
        {
            "type": "insecureAcceptAnything"
        }
    ],
    "transports": {
        "docker-daemon": {
            "": [
                {
                    "type": "insecureAcceptAnything"
                }
            ]
        }
    }
}
JSON

step "repositories (d2.libcontainers-repo, d2.crio-repo, d2.k8s-repo)"
# = https://download.opensuse.org/repositories/devel:/kubic:/libcontainers:/stable/CentOS_9_Stream/devel:kubic:libcontainers:stable.repo
cat >'/etc/yum.repos.d/devel:kubic:libcontainers:stable.repo' <<'REPO'
[devel_kubic_libcontainers_stable]
name=Stable Releases of Upstream github.com/containers packages (CentOS_9_Stream)
type=rpm-md
baseurl=https://download.opensuse.org/repositories/devel:/kubic:/libcontainers:/stable/CentOS_9_Stream/
gpgcheck=1
gpgkey=https://download.opensuse.org/repositories/devel:/kubic:/libcontainers:/stable/CentOS_9_Stream/repodata/repomd.xml.key
enabled=1
REPO
# = https://download.opensuse.org/repositories/devel:/kubic:/libcontainers:/stable:/cri-o:/1.24:/1.24.6/CentOS_8/devel:kubic:libcontainers:stable:cri-o:1.24:1.24.6.repo
cat >'/etc/yum.repos.d/devel:kubic:libcontainers:stable:cri-o:1.24:1.24.6.repo' <<'REPO'
[devel_kubic_libcontainers_stable_cri-o_1.24_1.24.6]
name=devel:kubic:libcontainers:stable:cri-o:1.24:1.24.6 (CentOS_8)
type=rpm-md
baseurl=https://download.opensuse.org/repositories/devel:/kubic:/libcontainers:/stable:/cri-o:/1.24:/1.24.6/CentOS_8/
gpgcheck=1
gpgkey=https://download.opensuse.org/repositories/devel:/kubic:/libcontainers:/stable:/cri-o:/1.24:/1.24.6/CentOS_8/repodata/repomd.xml.key
enabled=1
REPO
# kubernetes.io "Installing kubeadm" (pkgs.k8s.io, v1.24)
cat >/etc/yum.repos.d/kubernetes.repo <<'REPO'
[kubernetes]
name=Kubernetes
baseurl=https://pkgs.k8s.io/core:/stable:/v1.24/rpm/
enabled=1
gpgcheck=1
gpgkey=https://pkgs.k8s.io/core:/stable:/v1.24/rpm/repodata/repomd.xml.key
exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
REPO
dnf repolist

step "CRI-O, cri-tools, kubelet/kubeadm/kubectl (d2.crio, d2.cri-tools, d2.k8s-packages)"
dnf install -y cri-o
dnf install -y cri-tools kubelet kubeadm kubectl --disableexcludes=kubernetes

step "services (d2.crio-service, d2.k8s-packages)"
systemctl enable --now crio
# kubelet restarts in a loop until `kubeadm init/join` (day 3); enabled is what day 2 needs
systemctl enable --now kubelet
