// Not @ts-check: Kubernetes objects are untyped JSON here, as in kubectl's unstructured client.
// Fixed texts of kubectl/kubeadm 1.24 that do not depend on the cluster.

/**
 * `kubectl completion bash` / `kubeadm completion bash`: cobra's bash completion V2 script
 * (spf13/cobra v1.4.0 bash_completionsV2.go, which kubectl 1.24 uses: header, __<cmd>_* helpers calling
 * `<cmd> __complete`, and the `complete -o default -F __start_<cmd> <cmd>` line), shortened to its frame.
 */
export function bashCompletion(cmd) {
  const f = cmd.replace(/-/g, '_');
  return `# bash completion V2 for ${cmd}                                 -*- shell-script -*-

__${f}_debug()
{
    if [[ -n \${BASH_COMP_DEBUG_FILE:-} ]]; then
        echo "$*" >> "\${BASH_COMP_DEBUG_FILE}"
    fi
}

# Macs have bash3 for which the bash-completion package doesn't include
# _init_completion. This is a minimal version of that function.
__${f}_init_completion()
{
    COMPREPLY=()
    _get_comp_words_by_ref "$@" cur prev words cword
}

__${f}_get_completion_results() {
    local requestComp lastParam lastChar args
    args=("\${words[@]:1}")
    requestComp="\${words[0]} __complete \${args[*]}"
    lastParam=\${words[$((\${#words[@]}-1))]}
    lastChar=\${lastParam:$((\${#lastParam}-1)):1}
    if [ -z "\${cur}" ] && [ "\${lastChar}" != "=" ]; then
        requestComp="\${requestComp} ''"
    fi
    out=$(eval "\${requestComp}" 2>/dev/null)
    directive=\${out##*:}
    out=\${out%:*}
    if [ "\${directive}" = "\${out}" ]; then
        directive=0
    fi
}

__start_${f}()
{
    local cur prev words cword split
    COMPREPLY=()
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n "=:" || return
    else
        __${f}_init_completion -n "=:" || return
    fi
    local out directive
    __${f}_get_completion_results
    while IFS='' read -r comp; do
        [ -n "$comp" ] && COMPREPLY+=("$comp")
    done < <(printf "%s\\n" "\${out[@]}")
}

if [[ $(type -t compopt) = "builtin" ]]; then
    complete -o default -F __start_${f} ${cmd}
else
    complete -o default -o nospace -F __start_${f} ${cmd}
fi

# ex: ts=4 sw=4 et filetype=sh
`;
}

/** kubectl version (1.24: deprecated long form by default; --short). Build info of the v1.24.17 release. */
export function clientVersion(short) {
  return short
    ? 'Client Version: v1.24.17\nKustomize Version: v4.5.4\n'
    : 'Client Version: version.Info{Major:"1", Minor:"24", GitVersion:"v1.24.17", GitCommit:"22a9682c8fe855c321be75c5faacde343f909b04", GitTreeState:"clean", BuildDate:"2023-08-23T23:44:35Z", GoVersion:"go1.20.7", Compiler:"gc", Platform:"linux/amd64"}\nKustomize Version: v4.5.4\n';
}
