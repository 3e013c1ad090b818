# EdgeGUI hardware probe (POSIX sh). Sent on stdin and run once per discovery; it only
# prints raw sections between "@@BEGIN name" and "@@END name status" lines, and
# edgegui.core.discovery parses them on the laptop. It needs no root and no
# lsusb/lspci/udevadm: sysfs and procfs first, tools only when present. Every command that
# may hang runs under `timeout` when the device has it. Output stays small (a serial
# console at 115200 baud carries about 11 KB/s), so it never dumps whole files.
#
# Testing hook: EDGEGUI_PROBE_ROOT, when set, prefixes the hardware paths (/sys buses and
# classes, /dev, /proc/bus/input, /etc/nv_tegra_release, the ids databases) so tests can
# run the probe against a built tree. It is unset on real and lab devices.
# Lines starting with "#" and leading blanks are stripped before sending. It is sent after
# shlib.sh (have, bounded, find_timeout) and engine.sh (find_engine).

R=${EDGEGUI_PROBE_ROOT:-}
T=
USB_IDS=
PCI_IDS=
DOCKER_ROOT=

# get FILE: read the first line of FILE into $_v without a fork (sysfs attributes).
get() {
    _v=
    if [ -r "$1" ]; then IFS= read -r _v <"$1" 2>/dev/null; fi
    return 0
}

# link_name LINK: print the last component of a symlink's target (a driver's name).
link_name() {
    _l=$(readlink "$1" 2>/dev/null) && printf '%s' "${_l##*/}"
}

err() { echo "@@ERROR $*"; }

# by_id_line LINK: the link, its target and the group owning the node (a container reaching
# the device needs that group; the template's device_group parameters are filled from it).
by_id_line() {
    printf 'by-id\t%s\t%s\t%s\n' "${1#"$R"}" "$(readlink "$1")" "$(stat -L -c %g "$1" 2>/dev/null)"
}

section() {
    echo "@@BEGIN $1"
    "probe_$1"
    echo "@@END $1 $?"
}

probe_meta() {
    echo "version=1"
    echo "epoch=$(date -u +%s)"
    echo "uid=$(id -u)"
    echo "user=$(id -un 2>/dev/null)"
    echo "groups=$(id -Gn 2>/dev/null)"
    echo "timeout=${T:-none}"
    _t=
    for _c in docker curl nvidia-smi ip lsusb lspci udevadm timedatectl; do
        if have "$_c"; then _t="$_t $_c"; fi
    done
    echo "tools=${_t# }"
}

probe_system() {
    echo "uname=$(uname -n -r -m)"
    get /proc/uptime
    echo "uptime=$_v"
    for _f in /etc/os-release /usr/lib/os-release; do
        if [ -r "$_f" ]; then
            sed -n -e 's/^PRETTY_NAME=/os_pretty=/p' -e 's/^ID=/os_id=/p' \
                -e 's/^VERSION_ID=/os_version=/p' "$_f"
            break
        fi
    done
    awk -F': *' '
        /^processor[ \t]*:/ { n++ }
        /^(model name|cpu model|Processor)[ \t]*:/ && m == "" { m = $2 }
        /^Hardware[ \t]*:/ { h = $2 }
        /^CPU implementer[ \t]*:/ && i == "" { i = $2 }
        /^CPU part[ \t]*:/ && p == "" { p = $2 }
        END { print "cpu_count=" n; print "cpu_model=" m; print "cpu_hardware=" h;
              print "cpu_implementer=" i; print "cpu_part=" p }' /proc/cpuinfo
    get /sys/devices/system/cpu/online
    echo "cpu_online=$_v"
    sed -n -e 's/^MemTotal: *\([0-9]*\) kB/mem_total_kb=\1/p' \
        -e 's/^MemAvailable: *\([0-9]*\) kB/mem_available_kb=\1/p' \
        -e 's/^SwapTotal: *\([0-9]*\) kB/swap_total_kb=\1/p' /proc/meminfo
    get /sys/class/dmi/id/sys_vendor
    echo "dmi_vendor=$_v"
    get /sys/class/dmi/id/product_name
    echo "dmi_product=$_v"
    if [ -r /proc/device-tree/model ]; then
        echo "dt_model=$(tr -d '\000' </proc/device-tree/model)"
    fi
    echo "cgroup_fs=$(stat -fc %T /sys/fs/cgroup/ 2>/dev/null)"
    get /sys/fs/cgroup/cgroup.controllers
    echo "cgroup2_controllers=$_v"
    awk '$1 == "memory" { print "cgroup1_memory_enabled=" $4 }' /proc/cgroups 2>/dev/null
    get /proc/cmdline
    echo "cmdline=$_v"
    probe_clock
}

probe_clock() {
    if have timedatectl; then
        _s=$(bounded 3 timedatectl show -p NTPSynchronized --value 2>/dev/null)
        if [ -n "$_s" ]; then
            echo "ntp_synced=$_s"
            echo "ntp_source=timedatectl"
            return 0
        fi
    fi
    if [ -e /run/systemd/timesync/synchronized ]; then
        echo "ntp_synced=yes"
        echo "ntp_source=timesyncd"
    elif have chronyc; then
        bounded 3 chronyc -n tracking 2>/dev/null | sed -n 's/^Leap status *: */chrony_leap=/p'
        echo "ntp_source=chrony"
    fi
    return 0
}

# print_info STATUS OUTPUT: the engine's JSON line (only when it answered) and its messages.
print_info() {
    if [ "$1" -eq 0 ]; then
        printf '%s\n' "$2" | sed -e '/^{/s/^/info=/' -e '/^info=/!s/^/message=/'
    else
        printf '%s\n' "$2" | sed -e '/^{/d' -e 's/^/message=/'
    fi
}

probe_docker() {
    _rc=
    _cli=$(command -v docker 2>/dev/null)
    echo "cli=$_cli"
    echo "dockerd=$(command -v dockerd 2>/dev/null)"
    find_engine
    echo "engine=$EG_ENGINE"
    echo "engine_from=$EG_ENGINE_FROM"
    _sock=
    case $EG_ENGINE in
        unix://*) _sock=${EG_ENGINE#unix://} ;;
        ?*) echo "docker_host=$EG_ENGINE" ;;
    esac
    # The CLI and curl below ask the engine the user really uses.
    if [ -n "$EG_ENGINE" ]; then
        DOCKER_HOST=$EG_ENGINE
        export DOCKER_HOST
    fi
    echo "socket=$_sock"
    if [ -n "$_sock" ]; then
        echo "socket_stat=$(stat -c '%a %U %G' "$_sock" 2>/dev/null)"
        if [ -w "$_sock" ]; then echo "socket_writable=yes"; else echo "socket_writable=no"; fi
    fi
    if [ -n "$_cli" ]; then
        # Ask for the API version at the same time (kept only when info answered).
        _vt=$(mktemp 2>/dev/null) || _vt=
        if [ -n "$_vt" ]; then
            bounded 5 docker version --format '{{.Server.APIVersion}}' >"$_vt" 2>&1 &
            _vp=$!
        fi
        _out=$(bounded 10 docker info --format '{{json .}}' 2>&1)
        _rc=$?
        echo "info_rc=$_rc"
        print_info "$_rc" "$_out"
        if [ -n "$_vt" ]; then
            wait "$_vp"
            [ "$_rc" -eq 0 ] && echo "api_version=$(cat "$_vt")"
            rm -f "$_vt"
        elif [ "$_rc" -eq 0 ]; then
            echo "api_version=$(bounded 5 docker version --format '{{.Server.APIVersion}}' 2>&1)"
        fi
    elif have curl && [ -n "$_sock" ]; then
        _out=$(bounded 10 curl -sS --max-time 8 --unix-socket "$_sock" http://localhost/info 2>&1)
        _rc=$?
        echo "info_rc=$_rc"
        print_info "$_rc" "$_out"
        if [ "$_rc" -eq 0 ]; then
            echo "version=$(bounded 5 curl -sS --max-time 4 --unix-socket "$_sock" \
                http://localhost/version 2>&1)"
        fi
    else
        echo "info_rc=none"
    fi
    [ "$_rc" = 124 ] && err "docker engine did not answer within 10 s"
    DOCKER_ROOT=$(printf '%s\n' "$_out" | sed -n 's/.*"DockerRootDir":"\([^"]*\)".*/\1/p')
    return 0
}

probe_disk() {
    _d=${DOCKER_ROOT:-/var/lib/docker}
    echo "docker_root=$_d"
    # An engine not yet installed will write below the nearest existing folder.
    while [ ! -e "$_d" ] && [ "$_d" != / ]; do
        _d=${_d%/*}
        _d=${_d:-/}
    done
    echo "docker_root_existing=$_d"
    bounded 5 df -Pk / "$_d" | sed 's/^/df /'
}

probe_network() {
    for _i in /sys/class/net/*; do
        [ -e "$_i" ] || continue
        get "$_i/address"
        _a=$_v
        get "$_i/operstate"
        _o=$_v
        get "$_i/mtu"
        _m=$_v
        _d=-
        if [ -L "$_i/device" ]; then _d=$(link_name "$_i/device/driver") || _d=phys; fi
        echo "link ${_i##*/} ${_a:--} ${_o:--} ${_m:--} ${_d:-phys}"
    done
    if have ip; then
        bounded 3 ip -o addr show | awk '{ print "addr", $2, $3, $4 }'
        bounded 3 ip -6 route show default | sed 's/^/route6 /'
    elif have ifconfig; then
        bounded 3 ifconfig -a | awk '/^[^ \t]/ { i = $1; sub(/:$/, "", i) }
            / inet / { for (k = 1; k < NF; k++) if ($k == "inet") {
                a = $(k + 1); sub(/^addr:/, "", a); print "addr", i, "inet", a } }'
    fi
    awk '$2 == "00000000" && $8 == "00000000" { print "route4", $1, $3, $7 }' /proc/net/route
    sed -n 's/^nameserver[ \t]*/dns /p' /etc/resolv.conf 2>/dev/null
    return 0
}

probe_usb() {
    for _d in "$R"/sys/bus/usb/devices/*; do
        _n=${_d##*/}
        case $_n in
            *:*)
                get "$_d/bInterfaceClass"
                printf 'if\t%s\t%s\n' "$_n" "$_v"
                ;;
            *)
                [ -r "$_d/idVendor" ] || continue
                set --
                for _a in idVendor idProduct busnum devnum speed bDeviceClass manufacturer \
                    product serial; do
                    get "$_d/$_a"
                    set -- "$@" "$_v"
                done
                printf 'dev\t%s' "$_n"
                printf '\t%s' "$@"
                printf '\n'
                USB_IDS="$USB_IDS $1:$2"
                ;;
        esac
    done
    # One `ls` names every interface's driver (a fork per link would cost seconds on big hosts).
    ls -l "$R"/sys/bus/usb/devices/*/driver 2>/dev/null |
        awk '{ n = split($(NF - 2), a, "/"); m = split($NF, b, "/"); print "drv\t" a[n - 1] "\t" b[m] }'
    return 0
}

probe_serial() {
    for _t in "$R"/sys/class/tty/*; do
        _n=${_t##*/}
        case $_n in tty | tty[0-9]* | ttyS[0-9]* | console | ptmx) continue ;; esac
        [ -e "$_t/device" ] || continue
        _dev=$(cd -P "$_t/device" 2>/dev/null && pwd -P) || continue
        case $_dev in */usb*) ;; *) continue ;; esac
        # ttyUSB ports sit below their USB interface; ttyACM is the interface itself.
        _if=$_dev
        [ -r "$_if/bInterfaceClass" ] || _if=${_dev%/*}
        printf 'tty\t%s\t%s\t%s\n' "$_n" "$(link_name "$_if/driver")" "${_dev#"$R"}"
    done
    for _l in "$R"/dev/serial/by-id/*; do
        [ -L "$_l" ] && by_id_line "$_l"
    done
    return 0
}

probe_input() {
    if [ -r "$R/proc/bus/input/devices" ]; then
        # Names, ids and handlers only: the capability bitmaps would double the size.
        sed -n -e '/^[INPSUH]: /p' -e '/^B: EV=/p' -e '/^$/p' "$R/proc/bus/input/devices"
    else
        err "$R/proc/bus/input/devices is not readable"
    fi
    for _l in "$R"/dev/input/by-id/*; do
        [ -L "$_l" ] && by_id_line "$_l"
    done
    return 0
}

probe_gpu() {
    for _f in "$R"/dev/nvidia[0-9]* "$R"/dev/nvidiactl "$R"/dev/apex_[0-9]*; do
        [ -e "$_f" ] && printf 'node\t%s\n' "${_f#"$R"}"
    done
    if have nvidia-smi; then
        _q=index,name,uuid,memory.total,driver_version,pci.bus_id
        _out=$(bounded 15 nvidia-smi "--query-gpu=$_q,mig.mode.current" \
            --format=csv,noheader,nounits 2>&1)
        _rc=$?
        if [ "$_rc" -ne 0 ] && [ "$_rc" -ne 124 ]; then
            # Drivers older than MIG (R450) reject the mig field: ask again without it.
            _out=$(bounded 15 nvidia-smi "--query-gpu=$_q" --format=csv,noheader,nounits 2>&1)
            _rc=$?
        fi
        printf '%s\n' "$_out" | sed 's/^/smi\t/'
        printf 'smi_rc\t%s\n' "$_rc"
        if [ "$_rc" -eq 0 ]; then
            bounded 15 nvidia-smi -q -d COMPUTE 2>/dev/null |
                sed -n 's/^CUDA Version *: */cuda\t/p'
        elif [ "$_rc" -eq 124 ]; then
            err "nvidia-smi did not answer within 15 s"
        fi
    fi
    if [ -r "$R/etc/nv_tegra_release" ]; then
        sed -n '1s/^/tegra\t/p' "$R/etc/nv_tegra_release"
    fi
    for _c in "$R"/sys/class/drm/card[0-9]*; do
        case ${_c##*/} in *-*) continue ;; esac
        [ -e "$_c/device/vendor" ] || continue
        get "$_c/device/vendor"
        _a=$_v
        get "$_c/device/device"
        printf 'drm\t%s\t%s\t%s\t%s\t%s\n' "${_c##*/}" "$_a" "$_v" \
            "$(link_name "$_c/device/driver")" "$(link_name "$_c/device")"
    done
    return 0
}

probe_pci() {
    for _d in "$R"/sys/bus/pci/devices/*; do
        [ -r "$_d/vendor" ] || continue
        get "$_d/vendor"
        _a=$_v
        get "$_d/device"
        _p=$_v
        get "$_d/class"
        printf 'pci\t%s\t%s\t%s\t%s\n' "${_d##*/}" "$_a" "$_p" "$_v"
        PCI_IDS="$PCI_IDS ${_a#0x}:${_p#0x}"
    done
    ls -l "$R"/sys/bus/pci/devices/*/driver 2>/dev/null |
        awk '{ n = split($(NF - 2), a, "/"); m = split($NF, b, "/"); print "drv\t" a[n - 1] "\t" b[m] }'
    return 0
}

# ids_lookup TAG FILE IDS: print the names of the vendor:product pairs in IDS from an
# ids database (usb.ids/pci.ids format), stopping before its class lists.
ids_lookup() {
    awk -v tag="$1" -v want="$3" '
        BEGIN { n = split(want, w, " ")
                for (i = 1; i <= n; i++) { split(w[i], p, ":"); V[p[1]] = 1; P[w[i]] = 1 } }
        /^C / { exit }
        /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {
            v = substr($0, 1, 4)
            if (v in V) print tag "\t" v "\t" substr($0, 7); else v = ""
            next }
        v != "" && /^\t[0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {
            k = v ":" substr($0, 2, 4)
            if (k in P) print tag "\t" k "\t" substr($0, 8) }' "$2"
}

probe_ids() {
    _u=
    for _f in /usr/share/hwdata/usb.ids /usr/share/misc/usb.ids /var/lib/usbutils/usb.ids \
        /usr/share/usb.ids; do
        if [ -r "$R$_f" ]; then _u=$R$_f && break; fi
    done
    _p=
    for _f in /usr/share/hwdata/pci.ids /usr/share/misc/pci.ids /usr/share/pci.ids; do
        if [ -r "$R$_f" ]; then _p=$R$_f && break; fi
    done
    if [ -n "$USB_IDS" ]; then
        if [ -n "$_u" ]; then
            ids_lookup usb "$_u" "$USB_IDS"
        elif have lsusb && [ -z "$R" ]; then
            bounded 5 lsusb | sed 's/^/lsusb\t/'
        fi
    fi
    if [ -n "$PCI_IDS" ]; then
        if [ -n "$_p" ]; then
            ids_lookup pci "$_p" "$PCI_IDS"
        elif have lspci && [ -z "$R" ]; then
            bounded 5 lspci -D -mm | sed 's/^/lspci\t/'
        fi
    fi
    return 0
}

# The docker section waits longest (the CLI starts and asks the engine): it runs beside the
# others into a private temporary file and is printed after them. disk needs its DockerRootDir.
main() {
    find_timeout
    echo "@@EDGEGUI-PROBE 1"
    _dt=$(mktemp 2>/dev/null) || _dt=
    if [ -n "$_dt" ]; then
        section docker >"$_dt" 2>&1 &
        _dp=$!
    fi
    for _s in meta system network usb serial input gpu pci ids; do
        section "$_s"
    done
    if [ -n "$_dt" ]; then
        wait "$_dp"
        cat "$_dt"
        DOCKER_ROOT=$(sed -n 's/.*"DockerRootDir":"\([^"]*\)".*/\1/p' "$_dt")
        rm -f "$_dt"
    else
        section docker
    fi
    section disk
    echo "@@DONE"
}

# Everything above was only definitions; stdin (the script) is closed for what runs.
exec 2>&1
main </dev/null
