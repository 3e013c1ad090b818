# EdgeGUI: helpers shared by the scripts sent to devices (POSIX sh). Sent first, before
# engine.sh and the probe; lines starting with "#" and leading blanks are stripped.

T=

have() { command -v "$1" >/dev/null 2>&1; }

# bounded SECONDS CMD...: run CMD with stdin closed (the script itself is on stdin),
# killed after SECONDS when a timeout command exists; 124 means it timed out.
bounded() {
    _s=$1
    shift
    if [ -n "$T" ]; then
        $T "$_s" "$@" </dev/null
    else
        "$@" </dev/null
    fi
}

find_timeout() {
    if ! have timeout; then return 0; fi
    if timeout -k 1 5 true </dev/null >/dev/null 2>&1; then
        T="timeout -k 1"
    elif timeout 5 true </dev/null >/dev/null 2>&1; then
        T="timeout"
    elif timeout -t 5 true </dev/null >/dev/null 2>&1; then
        T="timeout -t"  # old busybox
    fi
}

