# Kernel modules a Rocky 9.4 VM can load (sizes from lsmod on el9_4 x86_64, kernel 5.14.0-427),
# with their dependencies (modules.dep) so that loading br_netfilter also loads bridge, stp, llc.
KERNEL_RELEASE=5.14.0-427.13.1.el9_4.x86_64
MODDIR=$R/sys/module
declare -A MOD_SIZE=(
  [br_netfilter]=32768 [bridge]=315392 [stp]=16384 [llc]=16384 [overlay]=200704
  [xfs]=2228224 [libcrc32c]=16384 [dm_mod]=212992 [virtio_net]=69632 [net_failover]=24576 [failover]=16384
  [nf_tables]=352256 [nfnetlink]=20480 [nf_conntrack]=188416 [nf_defrag_ipv6]=24576 [nf_defrag_ipv4]=16384
  [ip_tables]=28672 [iptable_nat]=16384 [iptable_filter]=16384 [ip_vs]=200704 [veth]=36864
  [vxlan]=94208 [ip6_udp_tunnel]=16384 [udp_tunnel]=28672 [nf_nat]=57344 [xt_conntrack]=16384
)
declare -A MOD_DEPS=(
  [br_netfilter]=bridge [bridge]='stp llc' [stp]=llc [xfs]=libcrc32c [virtio_net]=net_failover
  [net_failover]=failover [nf_tables]=nfnetlink [nf_conntrack]='nf_defrag_ipv6 nf_defrag_ipv4 libcrc32c'
  [iptable_nat]='ip_tables nf_nat' [iptable_filter]=ip_tables [nf_nat]='nf_conntrack libcrc32c'
  [ip_vs]='nf_conntrack libcrc32c' [vxlan]='ip6_udp_tunnel udp_tunnel' [xt_conntrack]=nf_conntrack
)
mod_known() { [ -n "${MOD_SIZE[$1]:-}" ]; }
mod_size() { echo "${MOD_SIZE[$1]:-16384}"; }
mod_loaded() { [ -d "$MODDIR/$1" ]; }
mod_load() {
  local d
  mod_loaded "$1" && return 0
  for d in ${MOD_DEPS[$1]:-}; do mod_load "$d"; done
  { [ -d "$MODDIR" ] || mkdir -p "$MODDIR"; } && mkdir "$MODDIR/$1" && echo live >"$MODDIR/$1/initstate"
  { [ -d "$RUN" ] || mkdir -p "$RUN"; } && echo "$1" >>"$RUN/modules.order"
}
mod_holders() { # loaded modules that depend on $1, comma-separated
  local m out=()
  for m in $(mod_loaded_newest_first); do
    [[ " ${MOD_DEPS[$m]:-} " == *" $1 "* ]] && out+=("$m")
  done
  (IFS=,; echo "${out[*]}")
}
mod_unload() {
  if ! mod_loaded "$1"; then return 0; fi
  if [ -n "$(mod_holders "$1")" ]; then echo "modprobe: FATAL: Module $1 is in use." >&2; return 1; fi
  rm -rf "${MODDIR:?}/$1"
}
mod_loaded_newest_first() {
  local m seen=' '
  if [ -r "$RUN/modules.order" ]; then
    for m in $(tac "$RUN/modules.order"); do
      [[ $seen == *" $m "* ]] && continue; seen+="$m "
      mod_loaded "$m" && echo "$m"
    done
  fi
  # modules whose directories appeared without the stand-in (e.g. made by a fault script)
  for m in $(ls "$MODDIR" 2>/dev/null); do
    [[ $seen == *" $m "* ]] || { mod_known "$m" && echo "$m"; }
  done
}
