# Shared by the bash stand-ins (sourced, not executed).
# Every path goes through $R (LG_SYSROOT) so the stand-ins can be unit-tested in a temp dir.
# Runtime (non-persistent, "since boot") state lives in $RUN = $R/run/labgrade (a per-node tmpfs).

R=${LG_SYSROOT:-}
RUN=$R/run/labgrade
LG_LIB_DIR=${BASH_SOURCE[0]%/*}
LG_STANDINS_DIR=${LG_LIB_DIR%/*}
[[ $LG_LIB_DIR == */* ]] || LG_STANDINS_DIR=.

# Settings the lab provides: environment first, else KEY=VALUE lines in $RUN/config
# (ForceCommand's environment does not survive `sudo -i` or `su -`, a file does).
lg_config() {
  local key=$1 def=${2:-} val
  val=${!key:-}
  if [ -z "$val" ] && [ -r "$RUN/config" ]; then
    local line
    while IFS= read -r line || [ -n "$line" ]; do [[ $line == "$key="* ]] && val=${line#"$key="}; done <"$RUN/config"
  fi
  printf '%s' "${val:-$def}"
}

lg_rpm() { /usr/bin/rpm --root "${R:-/}" --dbpath /var/lib/rpm "$@"; }
lg_installed() { lg_rpm -q "$1" >/dev/null 2>&1; }

# Inside a simulated node the lab bind-mounts the stand-ins on /usr/local/sbin: that mount is how a
# stand-in knows it runs in a node's own namespaces (mount, UTS, network).
# (read with a builtin: a fork costs more than the whole test in a VM)
lg_in_node() {
  local mi=''
  read -r -d '' mi </proc/self/mountinfo 2>/dev/null
  [[ $mi == *" $LG_STANDINS_DIR "* ]]
}
# May this process change kernel state (hostname, addresses, net.* sysctls)? Only inside a node, or in
# a test that runs under `unshare --net --uts` and says so with LG_KERNEL_OK=1. Never the host's.
# (answered once per process: sysctl --system asks it for every key)
LG_KERNEL_OK_CACHED=
lg_kernel_ok() {
  if [ -z "${LG_KERNEL_OK_CACHED:-}" ]; then
    if lg_in_node || { [ -n "$R" ] && [ -n "${LG_KERNEL_OK:-}" ]; }; then LG_KERNEL_OK_CACHED=yes; else LG_KERNEL_OK_CACHED=no; fi
  fi
  [ "$LG_KERNEL_OK_CACHED" = yes ]
}

# Outside a node with no LG_SYSROOT a stand-in would write the host's /etc and /run: refuse.
if [ -z "$R" ] && [ -z "${LG_ALLOW_HOST:-}" ] && ! lg_in_node; then
  echo "labgrade stand-in ${0##*/}: refusing to run outside a simulated node (set LG_SYSROOT to test)" >&2
  exit 1
fi

# The node "boots" on the first stand-in call after its /run was emptied (lab up, or a restart):
# lg-boot derives runtime state from the persisted files the way the real boot would.
lg_ensure_booted() {
  [ -e "$RUN/booted" ] || [ -n "${LG_BOOTING:-}" ] || "$LG_STANDINS_DIR/lg-boot"
}

# The mode /etc/selinux/config gives, by the rule of libselinux selinux_config.c selinux_getenforcemode()
# (what the boot and sestatus use): the FIRST line starting with exactly "SELINUX=" in column 0 whose
# value, after blanks, starts case-insensitively with enforcing/permissive/disabled (strncasecmp, so
# trailing text is ignored); other lines (quoted or unknown values, indented, "SELINUX =") are skipped.
# Prints the mode; status 1 when no line matches or there is no file (selinux_getenforcemode fails).
# (Lines over libselinux's 4095-byte fgets buffer are not split here; the grader's parser does that.)
lg_selinux_config_mode() {
  local line v
  [ -r "$R/etc/selinux/config" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    [[ $line == SELINUX=* ]] || continue
    v=${line#SELINUX=}
    v=${v#"${v%%[![:space:]]*}"}
    case ${v,,} in
      enforcing*) echo enforcing; return 0 ;;
      permissive*) echo permissive; return 0 ;;
      disabled*) echo disabled; return 0 ;;
    esac
  done <"$R/etc/selinux/config"
  return 1
}
