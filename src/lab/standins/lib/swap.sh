# Swap state = the node's own /proc/swaps (a node file the lab bind-mounts over /proc/swaps).
# Line format from the kernel, mm/swapfile.c swap_show():
#   seq_puts("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n")
#   "%*s%s\t%lu\t%s%lu\t%s%d\n" (path padded to 40, "partition" or "file\t", KiB, ...)
SWAPS=$R/proc/swaps
SWAPS_HEADER=$'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority'
# The Rocky 9 LVM layout (rl-swap) is dm-1: 2 GiB minus the swap header page, as on the course VMs.
RL_SWAP_DEV=/dev/dm-1
RL_SWAP_KIB=2097148

swap_line() { # path type kib used prio
  local pad=$(( ${#1} < 40 ? 40 - ${#1} : 1 )) t=$2 st='' ut=''
  [ "$t" = file ] && t=$'file\t'
  [ "$3" -lt 10000000 ] && st=$'\t'
  [ "$4" -lt 10000000 ] && ut=$'\t'
  printf '%s%*s%s\t%s\t%s%s\t%s%s\n' "$1" "$pad" ' ' "$t" "$3" "$st" "$4" "$ut" "$5"
}
swap_active_paths() { [ -r "$SWAPS" ] && tail -n +2 "$SWAPS" | awk '{print $1}'; }
# fstab spec -> "path type kib" or nothing (unknown device)
swap_resolve() {
  case $1 in
    /dev/mapper/rl-swap|/dev/rl/swap|/dev/dm-1|UUID=*|LABEL=*) echo "$RL_SWAP_DEV partition $RL_SWAP_KIB" ;;
    /*) if [ -f "$R$1" ]; then echo "$1 file $(( $(stat -c %s "$R$1") / 1024 - 4 ))"; fi ;;
  esac
}
swap_write() { # replaces the table with header + given lines (stdin); rewritten in place: a bind-mounted file
  local tmp
  mkdir -p "$RUN" && tmp=$(mktemp "$RUN/swaps.XXXXXX") || return 1
  { echo "$SWAPS_HEADER"; cat; } >"$tmp"
  cat "$tmp" >"$SWAPS"
  rm -f "$tmp"
}
# Uncommented fstab lines of type swap without noauto: their first field.
swap_fstab_specs() {
  [ -r "$R/etc/fstab" ] || return 0
  awk '!/^[[:space:]]*#/ && NF >= 3 && $3 == "swap" && $4 !~ /(^|,)noauto(,|$)/ {print $1}' "$R/etc/fstab"
}
