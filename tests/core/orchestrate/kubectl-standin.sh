#!/bin/sh
# A stand-in kubectl, presented at /usr/local/bin inside a lab device: it records each call
# (arguments one per line, and stdin where kubectl would read it) under /tmp/kubectl-calls
# and answers as a one-node K3s cluster would. No real K3s can run in the lab.
calls=/tmp/kubectl-calls
mkdir -p "$calls"
call="$calls/$(date +%s%N)-$$"
printf '%s\n' "$@" > "$call.args"
case " $* " in
  *" version "*) echo "Client Version: v1.30.4+k3s1"; echo "Server Version: v1.30.4+k3s1" ;;
  *" get nodes -o name "*) echo "node/$(hostname)" ;;
  *" get node "*) echo '{"kubernetes.io/hostname":"edge1","edgegui.gpu":"nvidia"}' ;;
  *" label node "*) echo "node/$(hostname) labeled" ;;
  *" create namespace "*) printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n' ;;
  *" create secret "*)
    cat > "$call.stdin"
    printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n' ;;
  *" apply "*) cat > "$call.stdin"; echo "applied" ;;
  *) echo "kubectl stand-in: unexpected call: $*" >&2; exit 1 ;;
esac
