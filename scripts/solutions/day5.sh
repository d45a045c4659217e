#!/usr/bin/env bash
# Day 5 (outcomes d5.*): a CentOS pod and its NodePort, an NFS server on control1, csi-driver-nfs v4.5.0,
# the StorageClass nfs-csi and the Deployment that mounts NFS, a PV/PVC pair and a pod using the claim.
# The course's commands (course-notes-day2-5.md, "day 5"), non-interactive, in the cluster days' steps:
#   control1:  bash day5.sh control         # NFS server: nfs-utils, nfs-server, /etc/exports
#   workers:   bash day5.sh worker          # nfs-utils (the NFS client the kubelet mounts with); a join command given is ignored
#   control1:  bash day5.sh finish          # the cluster objects
# The notes' two slips are not copied: the file is /etc/exports (not /etc/exportfs), and the options are
# (rw,no_root_squash) without a space (exportfs rejects "(rw, no_root_squash)": bad option list).
# Every object is made with -n default: day 4 leaves kubectl's context on release-apache.
# Safe to run twice: each step checks what is already there.
set -euo pipefail
step() { printf '\n### %s\n' "$*" >&2; }
export KUBECONFIG=/etc/kubernetes/admin.conf
K="kubectl -n default"
CSI=https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/v4.5.0/deploy/v4.5.0
COURSE=https://raw.githubusercontent.com/tangt64/training_memos/main/opensource-101/kubernetes-101/yaml/advanced_command

wait_for() {
  local i
  for ((i = 0; i < $2 * 2; i++)); do
    if eval "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "timed out waiting for: $1" >&2
  return 1
}

nfs_utils() {
  rpm -q nfs-utils >/dev/null 2>&1 || dnf install nfs-utils -y >&2
}

case "${1:-}" in
  control)
    step 'NFS server on control1: nfs-utils, nfs-server, /nfs exported'
    nfs_utils
    systemctl enable --now nfs-server.service >&2
    mkdir -p /nfs/manual-pv
    grep -qs '^/nfs[[:space:]]' /etc/exports || echo '/nfs *(rw,no_root_squash)' >>/etc/exports
    exportfs -avrs >&2
    ;;
  worker)
    step 'nfs-utils on the worker (mount.nfs for the kubelet)'
    nfs_utils
    ;;
  finish)
    step 'test-centos (a command that keeps it running) and its NodePort'
    $K get pod test-centos >/dev/null 2>&1 || $K run test-centos --image=quay.io/centos/centos:stream9 sleep 10000
    $K get service np-test-centos >/dev/null 2>&1 || $K expose pod test-centos --name=np-test-centos --type=NodePort --port=80 --target-port=80
    step 'csi-driver-nfs v4.5.0: what install-driver.sh v4.5.0 applies'
    # = curl -skSL https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/v4.5.0/deploy/install-driver.sh | bash -s v4.5.0 --
    for f in rbac-csi-nfs csi-nfs-driverinfo csi-nfs-controller csi-nfs-node; do kubectl apply -f "$CSI/$f.yaml" >&2; done
    step 'the service account, StorageClass nfs-csi and Deployment nfs-csi-pod (the course yaml)'
    for f in storageclass-serviceaccount storageclass-configure storageclass-deployment; do $K apply -f "$COURSE/$f.yaml" >&2; done
    step 'PV nfs-pv, PVC nfs-pvc, pod pvc-pod'
    $K apply -f - >&2 <<'EOF'
apiVersion: v1
kind: PersistentVolume
metadata:
  name: nfs-pv
  labels:
    type: nfs
spec:
  storageClassName: ""
  capacity:
    storage: 1Gi
  accessModes:
    - ReadWriteMany
  nfs:
    server: control1.example.com
    path: "/nfs/manual-pv"
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: nfs-pvc
spec:
  storageClassName: ""
  accessModes:
    - ReadWriteMany
  resources:
    requests:
      storage: 1Gi
EOF
    $K get pod pvc-pod >/dev/null 2>&1 || $K apply -f - >&2 <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: pvc-pod
spec:
  containers:
  - name: pvc-pod
    image: quay.io/redhattraining/hello-world-nginx
    volumeMounts:
      - mountPath: "/app/data"
        name: htdocs
  volumes:
  - name: htdocs
    persistentVolumeClaim:
      claimName: nfs-pvc
EOF
    step 'everything Running'
    wait_for '[ "$($K get pod test-centos -o jsonpath={.status.phase})" = Running ]' 120
    wait_for '[ "$($K get pvc nfs-pvc -o jsonpath={.status.phase})" = Bound ]' 120
    wait_for '[ "$($K get pod pvc-pod -o jsonpath={.status.phase})" = Running ]' 120
    wait_for '[ "$($K get deployment nfs-csi-pod -o jsonpath={.status.readyReplicas})" = 1 ]' 120
    wait_for '[ "$(kubectl -n kube-system get deployment csi-nfs-controller -o jsonpath={.status.readyReplicas})" = 1 ]' 120
    ;;
  *)
    echo "usage: day5.sh control | worker | finish" >&2
    exit 2
    ;;
esac
