# Shared by the bash stand-ins (sourced, not executed).
# Every path goes through $R (LG_SYSROOT) so the stand-ins can be unit-tested in a temp dir.
# Runtime (non-persistent, "since boot") state lives in $RUN = $R/run/labgrade (a per-node tmpfs).

R=${LG_SYSROOT:-}
RUN=$R/run/labgrade
LG_LIB_DIR=$(dirname "${BASH_SOURCE[0]}")
LG_STANDINS_DIR=$(dirname "$LG_LIB_DIR")

# Settings the lab provides: environment first, else KEY=VALUE lines in $RUN/config
# (ForceCommand's environment does not survive `sudo -i` or `su -`, a file does).
lg_config() {
  local key=$1 def=${2:-} val
  val=${!key:-}
  if [ -z "$val" ] && [ -r "$RUN/config" ]; then
    val=$(sed -n "s/^$key=//p" "$RUN/config" | tail -n 1)
  fi
  printf '%s' "${val:-$def}"
}

lg_rpm() { rpm --root "${R:-/}" --dbpath /var/lib/rpm "$@"; }
lg_installed() { lg_rpm -q "$1" >/dev/null 2>&1; }

# True when this process shares the namespace of the machine's PID 1, i.e. it is NOT inside a
# simulated node. Stand-ins then never touch the kernel (hostname, addresses, sysctl), so a test
# run outside `unshare` cannot change the host. Unreadable => assume host (safe side).
lg_in_host_ns() {
  local mine init
  mine=$(readlink "/proc/self/ns/$1" 2>/dev/null) || return 0
  init=$(readlink "/proc/1/ns/$1" 2>/dev/null) || return 0
  [ "$mine" = "$init" ]
}

# Outside a simulated node (the machine's own mount namespace) with no LG_SYSROOT, a stand-in would
# write the host's /etc and /run: refuse. LG_ALLOW_HOST=1 overrides (never needed by the lab).
if [ -z "$R" ] && [ -z "${LG_ALLOW_HOST:-}" ] && lg_in_host_ns mnt; then
  echo "labgrade stand-in ${0##*/}: refusing to run outside a simulated node (set LG_SYSROOT to test)" >&2
  exit 1
fi

# The node "boots" on the first stand-in call after its /run was emptied (lab up, or a restart):
# lg-boot derives runtime state from the persisted files the way the real boot would.
lg_ensure_booted() {
  [ -e "$RUN/booted" ] || [ -n "${LG_BOOTING:-}" ] || "$LG_STANDINS_DIR/lg-boot"
}
