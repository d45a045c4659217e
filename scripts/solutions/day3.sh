#!/usr/bin/env bash
# Day 3 (outcomes d3.*): a kubeadm cluster, Calico, a first pod and its NodePort. The course's
# commands (course-notes-day2-5.md), non-interactive, in three steps because the nodes take turns:
#   control1:  bash day3.sh control         # kubeadm init, Calico, completion; prints the join command last
#   workers:   bash day3.sh worker 'kubeadm join 192.168.90.110:6443 --token ... --discovery-token-ca-cert-hash sha256:...'
#   control1:  bash day3.sh finish          # nodes Ready, test-httpd and np-test-httpd
# On real VMs an instructor runs them over SSH in that order; `labgrade lab up --state day3` does the same.
# Safe to run twice: each step checks what is already there.
set -euo pipefail
step() { printf '\n### %s\n' "$*" >&2; }
export KUBECONFIG=/etc/kubernetes/admin.conf
CALICO_OPERATOR=https://raw.githubusercontent.com/projectcalico/calico/v3.26.4/manifests/tigera-operator.yaml
CALICO_CR=https://raw.githubusercontent.com/tangt64/training_memos/main/opensource-101/kubernetes-101/calico-quay-crd.yaml

# waits up to $2 seconds for `$1` (a command) to succeed
wait_for() {
  local i
  for ((i = 0; i < $2 * 2; i++)); do
    if eval "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "timed out waiting for: $1" >&2
  return 1
}

case "${1:-}" in
  control)
    if [ ! -f /etc/kubernetes/admin.conf ]; then
      step 'kubeadm init (the course: advertise 192.168.90.110, pod network 192.168.0.0/16, service CIDR 10.90.0.0/16)'
      kubeadm init --apiserver-advertise-address=192.168.90.110 --pod-network-cidr=192.168.0.0/16 --service-cidr=10.90.0.0/16 >&2
    fi
    step 'Calico: the tigera operator, then the Installation with registry quay.io'
    kubectl get deployment -n tigera-operator tigera-operator >/dev/null 2>&1 || kubectl create -f "$CALICO_OPERATOR" >&2
    kubectl get installations.operator.tigera.io default >/dev/null 2>&1 || kubectl create -f "$CALICO_CR" >&2
    step 'bash completion'
    kubeadm completion bash >/etc/bash_completion.d/kubeadm
    kubectl completion bash >/etc/bash_completion.d/kubectl
    step 'the join command for the workers (last line)'
    kubeadm token create --print-join-command
    ;;
  worker)
    join=${2:?usage: day3.sh worker '<kubeadm join command>'}
    if [ ! -f /etc/kubernetes/kubelet.conf ]; then
      step 'kubeadm join'
      case $join in "kubeadm join "*) ;; *) echo "not a kubeadm join command: $join" >&2; exit 2 ;; esac
      # the printed command, word by word (it holds no quotes or expansions)
      read -r -a words <<<"$join"
      "${words[@]}" >&2
    fi
    ;;
  finish)
    step 'every node Ready'
    wait_for '[ "$(kubectl get nodes --no-headers 2>/dev/null | grep -cw Ready)" -ge 3 ]' 120
    step 'test-httpd and its NodePort'
    kubectl get pod test-httpd >/dev/null 2>&1 || kubectl run test-httpd --image=quay.io/centos7/httpd-24-centos7
    kubectl get service np-test-httpd >/dev/null 2>&1 || kubectl expose pod --port=8080 --type=NodePort --name=np-test-httpd test-httpd
    wait_for '[ "$(kubectl get pod test-httpd -o jsonpath={.status.phase})" = Running ]' 120
    np=$(kubectl get service np-test-httpd -o jsonpath='{.spec.ports[0].nodePort}')
    wait_for "curl -s -o /dev/null http://192.168.90.110:$np/" 60
    curl -s -o /dev/null -w "np-test-httpd: HTTP %{http_code} on 192.168.90.110:$np\n" "http://192.168.90.110:$np/" >&2
    ;;
  *)
    echo "usage: day3.sh control | worker '<kubeadm join ...>' | finish" >&2
    exit 2
    ;;
esac
