#!/usr/bin/env bash
# Day 1 of the course (course-notes-day1-2.md, outcomes d1.*), non-interactive.
# Run as root on each node: eth1 everywhere; the container exercises only on the exercise node
# (LAB_EXERCISE_NODE, default node1). Safe to run twice.
#   LAB_NODE=node2 bash day1.sh      # when the hostname does not say which node this is
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
addr=$(node_addr "$node")
exercise=${LAB_EXERCISE_NODE:-node1}
kube_dir=${LAB_KUBE_DIR:-/root}
image=quay.io/centos7/httpd-24-centos7

if [ "$node" = "$exercise" ]; then
  step "packages (d1.epel, d1.podman)"
  dnf install -y epel-release
  dnf install -y podman podman-docker podman-compose

  step "registries.conf: search quay.io only (d1.registries)"
  conf=/etc/containers/registries.conf
  if grep -Eq '^[[:space:]]*unqualified-search-registries[[:space:]]*=' "$conf"; then
    sed -i -E 's/^[[:space:]]*unqualified-search-registries[[:space:]]*=.*/unqualified-search-registries = ["quay.io"]/' "$conf"
  else
    # a top-level key must come before any [table]
    sed -i '1i unqualified-search-registries = ["quay.io"]' "$conf"
  fi
  grep -Ev '^#|^$' "$conf"

  step "container httpd-24-centos-7 on 58080 (d1.image, d1.publish, d1.port)"
  podman rm -f httpd-24-centos-7 >/dev/null 2>&1 || true
  podman run -d --name httpd-24-centos-7 -p 58080:8080 --rm "$image"
  for _ in $(seq 1 20); do
    curl -s -o /dev/null localhost:58080 && break
    sleep 0.5
  done

  step "network shared, pod1 with two httpd containers (d1.network, d1.pod, d1.pod-containers)"
  podman network exists shared || podman network create shared
  podman pod exists pod1 || podman pod create --name pod1 --network shared --share uts,ipc,net
  for n in 1 2; do
    # as in the notes: `--port 8080` replaces the image's command, so these exit at once
    podman container exists "pod1-httpd-$n" ||
      podman run -d --pod pod1 --name "pod1-httpd-$n" --network shared "$image" --port 8080
  done

  step "pod1.yaml with a Service (d1.kube-yaml)"
  cd "$kube_dir"
  rm -f pod1.yaml # podman refuses to overwrite
  podman generate kube pod1 --service --filename pod1.yaml
fi

step "eth1: $addr/24, manual, never-default (d1.eth1)"
# the profile bound to eth1, whatever it is called; terse output escapes ':' and '\' in names
con=$(nmcli -t -f NAME,DEVICE con show | sed -n 's/:eth1$//p' | head -n 1 | sed -e 's/\\:/:/g' -e 's/\\\\/\\/g')
if [ -z "$con" ]; then
  con=$(nmcli -g GENERAL.CONNECTION dev show eth1 2>/dev/null || true)
fi
if [ -z "$con" ]; then
  nmcli con add type ethernet con-name eth1 ifname eth1 ipv4.method manual ipv4.addresses "$addr/24" ipv4.never-default yes
  con=eth1
fi
nmcli con mod "$con" ipv4.addresses "$addr/24" ipv4.method manual ipv4.never-default yes
nmcli con up "$con"
nmcli -g ipv4.method,ipv4.addresses,ipv4.never-default con show "$con"
