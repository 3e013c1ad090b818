# EdgeGUI: where the login user's Docker Engine is (POSIX sh, sent ahead of the probe and
# of the engine lookup; lines starting with "#" and leading blanks are stripped).
# find_engine sets EG_ENGINE (a DOCKER_HOST value) and EG_ENGINE_FROM (where it came from),
# in the order the docker CLI itself would use, plus a rootless socket it would miss:
#   1. DOCKER_HOST in this environment, or in the user's login environment (~/.profile…)
#   2. the current docker context, when it is not "default"
#   3. a rootless engine's socket, $XDG_RUNTIME_DIR/docker.sock
#   4. /var/run/docker.sock, /run/docker.sock

# login_docker_host: DOCKER_HOST as a login shell of this user would have it (bounded).
login_docker_host() {
    _lsh=${SHELL:-/bin/sh}
    [ -x "$_lsh" ] || _lsh=/bin/sh
    _lout=$(HOME=${HOME:-/} bounded 5 "$_lsh" -l -c 'printf "\n@@EG_DH=%s\n" "${DOCKER_HOST-}"' 2>/dev/null)
    printf '%s\n' "$_lout" | sed -n 's/^@@EG_DH=//p' | tail -n 1
}

find_engine() {
    EG_ENGINE=
    EG_ENGINE_FROM=
    if [ -n "${DOCKER_HOST:-}" ]; then
        EG_ENGINE=$DOCKER_HOST
        EG_ENGINE_FROM=environment
        return 0
    fi
    _dh=$(login_docker_host)
    if [ -n "$_dh" ]; then
        EG_ENGINE=$_dh
        EG_ENGINE_FROM=login-environment
        return 0
    fi
    if have docker; then
        _ctx=$(bounded 5 docker context show 2>/dev/null)
        if [ -n "$_ctx" ] && [ "$_ctx" != default ]; then
            _ch=$(bounded 5 docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null)
            if [ -n "$_ch" ]; then
                EG_ENGINE=$_ch
                EG_ENGINE_FROM="context $_ctx"
                return 0
            fi
        fi
    fi
    _rl="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/docker.sock"
    if [ -S "$_rl" ]; then
        EG_ENGINE="unix://$_rl"
        EG_ENGINE_FROM=rootless
        return 0
    fi
    for _f in /var/run/docker.sock /run/docker.sock; do
        if [ -S "$_f" ]; then
            EG_ENGINE="unix://$_f"
            EG_ENGINE_FROM=default
            return 0
        fi
    done
    EG_ENGINE_FROM=none
    return 0
}
