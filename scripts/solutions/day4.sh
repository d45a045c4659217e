#!/usr/bin/env bash
# Day 4 (outcomes d4.*): namespaces, the release-apache Deployment and its NodePort Service, the context's
# namespace. The course's commands (course-notes-day2-5.md, "day 4"), non-interactive. The steps of day3.sh:
#   control1:  bash day4.sh control         # nothing to do (the cluster is day 3's)
#   workers:   bash day4.sh worker          # nothing to do (they joined on day 3)
#   control1:  bash day4.sh finish          # everything of day 4, with kubectl on control1
# On real VMs an instructor runs them over SSH in that order; `labgrade lab up --state day4` does the same.
# Safe to run twice: what exists is kept (create) or left unchanged (apply).
set -euo pipefail
step() { printf '\n### %s\n' "$*" >&2; }

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

# kubectl as root uses it (KUBECONFIG if set, else ~/.kube/config), or admin.conf as day3.sh does: the context's
# namespace is set in that file, the one the grader reads
if [ -z "${KUBECONFIG:-}" ] && [ ! -f "${HOME:-/root}/.kube/config" ]; then export KUBECONFIG=/etc/kubernetes/admin.conf; fi

case "${1:-}" in
  control | worker) ;;
  finish)
    mkdir -p "${HOME:-/root}/basic-cmd"
    cd "${HOME:-/root}/basic-cmd"

    step 'namespaces: first-namespace from the YAML kubectl writes, second-namespace and wordpress-service from files'
    if ! kubectl get namespace first-namespace >/dev/null 2>&1; then
      kubectl create namespace first-namespace -o=yaml --dry-run=client >first-namespace.yaml
      kubectl create -f first-namespace.yaml
    fi
    cat >second-namespace.yaml <<'EOF'
---
apiVersion: v1
kind: Namespace
metadata:
  name: second-namespace
  labels:
    type: namespace
...
EOF
    kubectl get namespace second-namespace >/dev/null 2>&1 || kubectl create -f second-namespace.yaml
    cat >wordpress-namespace.yaml <<'EOF'
---
apiVersion: v1
kind: Namespace
metadata:
  name: wordpress-service
  labels:
    service: wordpress
    type: namespace
EOF
    kubectl apply -f wordpress-namespace.yaml
    kubectl get ns -l type=namespace -l service=wordpress >&2

    step 'release-apache: its namespace and Deployment (5 pods of httpd + vsftpd), then its NodePort Service'
    cat >release-apache.yaml <<'EOF'
---
apiVersion: v1
kind: Namespace #1
metadata:
  name: release-apache
  labels:
    name: release-apache

---
apiVersion: apps/v1
kind: Deployment #2
metadata:
  name: release-apache
  namespace: release-apache
  labels:
    version: v1
    software: apache
    name: release-apache

spec:
  selector:
    matchLabels:
      run: release-apache
  replicas: 5
  template:
    metadata:
      labels:
        run: release-apache
    spec:
      containers:
        - name: release-apache
          image: quay.io/centos7/httpd-24-centos7
          ports:
            - containerPort: 8080
        - name: release-vsftp
          image: quay.io/eformat/openshift-vsftpd
          ports:
            - containerPort: 21
EOF
    kubectl apply -f release-apache.yaml
    cat >release-apache-svc.yaml <<'EOF'
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: release-apache
    name: release-apache
  name: release-apache
  namespace: release-apache
spec:
  ports:
    - name: apache
      nodePort: 32080
      port: 8080
      protocol: TCP
      targetPort: 8080
    - name: vsftpd
      nodePort: 32021
      port: 21
      protocol: TCP
      targetPort: 21
  selector:
    run: release-apache
  type: NodePort
status:
  loadBalancer: {}
EOF
    kubectl apply -f release-apache-svc.yaml

    step 'the context namespace: release-apache'
    kubectl config set-context --current --namespace=release-apache

    step 'wait: 5/5 ready, endpoints, the NodePort answering'
    wait_for '[ "$(kubectl get deployment release-apache -n release-apache -o jsonpath={.status.readyReplicas})" = 5 ]' 300
    kubectl get deploy,rs -n release-apache >&2
    kubectl get pods -o wide >&2
    wait_for 'kubectl get endpoints release-apache -n release-apache -o jsonpath={.subsets[0].addresses[0].ip} | grep -q .' 60
    kubectl get service release-apache >&2
    wait_for 'curl -s -o /dev/null http://192.168.90.110:32080/' 60
    curl -s -o /dev/null -w 'release-apache: HTTP %{http_code} on 192.168.90.110:32080\n' http://192.168.90.110:32080/ >&2
    ;;
  *)
    echo "usage: day4.sh control | worker ['<kubeadm join ...>'] | finish" >&2
    exit 2
    ;;
esac
