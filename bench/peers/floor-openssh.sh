#!/usr/bin/env bash
# Floor (a): OpenSSH's client, one process per node, one batched `bash -s` script per node, all nodes at once.
# Usage: floor-openssh.sh SSH_CONFIG LIST
#   SSH_CONFIG  ssh_config with the lab key, known_hosts and user (no multiplexing is used here)
#   LIST        lines "HOST<TAB>SCRIPT_FILE" (the node's framed script, as gather.ts builds it)
# Output goes to /dev/null; prints "hosts N failed M". Exit 1 if any node failed.
set -u
cfg=$1 list=$2
pids=() names=()
while IFS=$'\t' read -r host script; do
  [[ -z $host ]] && continue
  ssh -F "$cfg" -o ControlMaster=no -o ControlPath=none "$host" 'bash -s' <"$script" >/dev/null 2>&1 &
  pids+=($!) names+=("$host")
done <"$list"
failed=0
for i in "${!pids[@]}"; do
  wait "${pids[$i]}"
  rc=$?
  # 255 is ssh's own failure; anything else is the script's exit status (a probe's fail is not ours)
  if [[ $rc == 255 ]]; then failed=$((failed + 1)); echo "floor-openssh: ${names[$i]} failed" >&2; fi
done
echo "hosts ${#pids[@]} failed $failed"
[[ $failed == 0 ]]
