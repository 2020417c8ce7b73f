#!/usr/bin/env bash
# Memory per idle mutual-TLS connection: Thingport, a bare swift-nio-ssl server (the least any
# broker on swift-nio-ssl can hold; tls-floor/), and mosquitto, in one run with one load
# generator (`thingport bench --idle-connections`).
#
#   benchmarks/tls-floor.sh
#
# Environment (defaults in brackets):
#   BENCH_IDLE_CONNECTIONS   connections held [10000]
#   BENCH_HOLD               seconds they are held [3]
#   THINGPORT_BIN            a thingport binary to use instead of building one
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
connections="${BENCH_IDLE_CONNECTIONS:-10000}"
hold="${BENCH_HOLD:-3}"

log() { echo "tls-floor: $*" >&2; }
die() { log "$*"; exit 1; }

# shellcheck source=benchmarks/common.sh
source "$here/common.sh"
ensure_mosquitto
use_thingport_binary
thingport="$THINGPORT_BIN"
log "building tls-floor (release)"
(cd "$here/tls-floor" && swift build -c release >&2)
floor="$(cd "$here/tls-floor" && swift build -c release --show-bin-path)/TLSFloor"

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
open_work_dir thingport-tls-floor
wait_for() {
    local pattern="$1" file="$2" i
    for i in $(seq 1 600); do grep -q "$pattern" "$file" 2>/dev/null && return 0; sleep 0.1; done
    die "no '$pattern' in $file"
}

# Thingport (its CA signs the client certificate; the others serve its server certificate).
tp_tls="$(free_port)"; tp_api="$(free_port)"; data="$work/data"
"$thingport" serve --host 127.0.0.1 --mqtt-port "$tp_tls" --api-port "$tp_api" --data-dir "$data" \
    --log-level error >"$work/thingport.out" 2>"$work/thingport.err" &
tp_pid=$!; pids+=("$tp_pid")
wait_for "thingport ready" "$work/thingport.out"
ca="$data/ca/root-ca.pem"
openssl req -newkey rsa:2048 -nodes -subj "/CN=bench-client" -keyout "$work/client.key" \
    -out "$work/client.csr" 2>/dev/null
openssl x509 -req -in "$work/client.csr" -CA "$ca" -CAkey "$data/ca/root-ca.key" -CAcreateserial -days 2 \
    -out "$work/client.pem" 2>/dev/null
python3 "$here/provision_device.py" "http://127.0.0.1:$tp_api" "$data" "$work/client.pem" \
    "$here/device-policy.json" >/dev/null || die "could not register the client certificate"

measure() {  # measure NAME PORT PID -> prints "NAME KiB"
    local result
    result="$("$thingport" bench --json --port "$2" --broker-pid "$3" --cafile "$ca" --cert "$work/client.pem" \
        --key "$work/client.key" --server-name localhost --idle-connections "$connections" --hold "$hold" \
        --connect-concurrency 32 2>/dev/null | tail -1)"
    python3 -c 'import json,sys; d = json.loads(sys.argv[2]); assert d["connected"] == d["connections"], d
print(sys.argv[1], round(d["brokerKiBPerConnection"], 2))' "$1" "$result"
}

results="$work/results"
log "thingport: $connections idle connections"
measure thingport "$tp_tls" "$tp_pid" >>"$results"
kill "$tp_pid"; wait "$tp_pid" 2>/dev/null || true

for mode in heap mapped; do
    port="$(free_port)"
    "$floor" "$port" "$data/ca/server.pem" "$data/ca/server.key" "$ca" "$mode" >"$work/floor-$mode.out" &
    pid=$!; pids+=("$pid")
    wait_for ready "$work/floor-$mode.out"
    log "swift-nio-ssl alone ($mode): $connections idle connections"
    measure "swift-nio-ssl-$mode" "$port" "$pid" >>"$results"
    kill "$pid"; wait "$pid" 2>/dev/null || true
done

port="$(free_port)"
cat >"$work/mosquitto.conf" <<CONF
persistence false
log_dest none
max_connections -1
user root
listener $port 127.0.0.1
cafile $ca
certfile $data/ca/server.pem
keyfile $data/ca/server.key
require_certificate true
use_identity_as_username true
CONF
"$mosquitto_bin" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pid=$!; pids+=("$pid")
sleep 1
log "mosquitto: $connections idle connections"
measure mosquitto "$port" "$pid" >>"$results"

python3 - "$results" "$connections" <<'PY'
import sys
rows = dict(line.split() for line in open(sys.argv[1]))
base = float(rows["mosquitto"])
print(f"KiB per idle mutual-TLS connection ({sys.argv[2]} connections), ratio to mosquitto")
for name, label in [("thingport", "Thingport (registry, policy)"),
                    ("swift-nio-ssl-mapped", "swift-nio-ssl alone, buffers mapped"),
                    ("swift-nio-ssl-heap", "swift-nio-ssl alone"),
                    ("mosquitto", "mosquitto")]:
    value = float(rows[name])
    print(f"  {label:38s} {value:7.2f}  {value / base:5.2f}x")
PY
