# The systemd units the course touches. A unit exists only while its package is installed
# (its unit file ships in that rpm), so every lookup goes through `rpm -q`.
# Descriptions/Docs/presets: from each package's unit file and RHEL 9's 90-default.preset.
declare -A UNIT_PKG=(
  [crio]=cri-o [kubelet]=kubelet [firewalld]=firewalld [sshd]=openssh-server [NetworkManager]=NetworkManager
  [nfs-server]=nfs-utils
)
declare -A UNIT_DESC=(
  [crio]='Container Runtime Interface for OCI (CRI-O)'
  [kubelet]='kubelet: The Kubernetes Node Agent'
  [firewalld]='firewalld - dynamic firewall daemon'
  [sshd]='OpenSSH server daemon'
  [NetworkManager]='Network Manager'
  [nfs-server]='NFS server and services'
)
declare -A UNIT_DOCS=(
  [crio]='https://github.com/cri-o/cri-o'
  [kubelet]='https://kubernetes.io/docs/'
  [firewalld]='man:firewalld(1)'
  [sshd]='man:sshd(8)'
  [NetworkManager]='man:NetworkManager(8)'
  [nfs-server]='man:rpc.nfsd(8) man:exportfs(8)'
)
declare -A UNIT_EXEC=(
  [crio]=/usr/bin/crio [kubelet]=/usr/bin/kubelet [firewalld]=/usr/sbin/firewalld
  [sshd]=/usr/sbin/sshd [NetworkManager]=/usr/sbin/NetworkManager
  [nfs-server]=/usr/sbin/rpc.nfsd
)
declare -A UNIT_PRESET=( [crio]=disabled [kubelet]=disabled [firewalld]=enabled [sshd]=enabled [NetworkManager]=enabled [nfs-server]=disabled )
# Alias= lines of the [Install] sections: `enable` links these too.
declare -A UNIT_ALIAS=(
  [firewalld]=dbus-org.fedoraproject.FirewallD1.service
  [NetworkManager]=dbus-org.freedesktop.NetworkManager.service
)

SYSTEMD_ETC=$R/etc/systemd/system
WANTS_DIR=$SYSTEMD_ETC/multi-user.target.wants

unit_name() { local u=${1%.service}; printf '%s' "$u"; }
unit_known() { [ -n "${UNIT_PKG[$1]:-}" ] && lg_installed "${UNIT_PKG[$1]}"; }
unit_path() { printf '/usr/lib/systemd/system/%s.service' "$1"; }
unit_masked() { [ "$(readlink "$SYSTEMD_ETC/$1.service" 2>/dev/null)" = /dev/null ]; }
unit_enabled() { [ -L "$WANTS_DIR/$1.service" ]; }

# Runtime state, as systemd keeps it in memory: "<active|inactive|failed> <epoch of last change>".
unit_state_raw() {
  local f=$RUN/units/$1.service st=''
  if [ -r "$f" ] && read -r st _ <"$f"; then echo "$st"; else echo inactive; fi
}
unit_since() {
  local f=$RUN/units/$1.service st since
  if [ -r "$f" ] && read -r st since <"$f"; then echo "$since"; else printf '%(%s)T\n' -1; fi
}
unit_set_state() {
  [ -d "$RUN/units" ] || mkdir -p "$RUN/units"
  printf '%s %(%s)T\n' "$2" -1 >"$RUN/units/$1.service"
}
# What is-active reports. kubelet without /var/lib/kubelet/config.yaml (no `kubeadm init/join` yet)
# exits at once and Restart=always brings it back: it sits in "activating (auto-restart)",
# as on a real day-2 node.
unit_active_state() {
  local s
  s=$(unit_state_raw "$1")
  if [ "$1" = kubelet ] && [ "$s" = active ] && [ ! -e "$R/var/lib/kubelet/config.yaml" ]; then
    s=activating
  fi
  printf '%s' "$s"
}

# nfs-server.service (nfs-utils 2.5.4 systemd/nfs-server.service): ExecStartPre=-/usr/sbin/exportfs -r and
# ExecReload=-/usr/sbin/exportfs -r load /etc/exports into the kernel's export list; ExecStopPost=
# /usr/sbin/exportfs -au empties it. Their output goes to the journal, not the terminal.
unit_nfs_hook() { # $1 start|reload|stop
  case $1 in
    start|reload) "$LG_STANDINS_DIR/exportfs" -r >/dev/null 2>&1 ;;
    stop) "$LG_STANDINS_DIR/exportfs" -au >/dev/null 2>&1 ;;
  esac
  return 0
}
