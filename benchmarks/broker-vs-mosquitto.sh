#!/usr/bin/env bash
# Thingport's MQTT broker against mosquitto, on this machine, with one load generator
# (`thingport bench`). See benchmarks/README.md for what each profile measures.
#
#   benchmarks/broker-vs-mosquitto.sh            # the full run (about 25 minutes)
#   benchmarks/broker-vs-mosquitto.sh --quick    # a smoke run (about 4 minutes)
#
# Environment (defaults in brackets):
#   BENCH_DURATION           seconds measured per load run [10; 2 with --quick]
#   BENCH_WARMUP             seconds of load before measuring, in every run [1]
#   BENCH_RUNS               measured runs per broker and profile; the median is shown [3; 1 with --quick]
#   BENCH_IDLE_CONNECTIONS   connections held by the idle profiles [10000; 1000 with --quick]
#   BENCH_HOLD               seconds the idle connections are held [3]
#   BENCH_PROFILES           comma-separated subset of the profiles below [all]
#   BENCH_PAYLOAD            payload bytes [64]
#   BENCH_INFLIGHT           QoS 1 window, and both brokers' in-flight limit [100]
#   BENCH_QUEUED             both brokers' per-session queue limit [1000]
#   BENCH_LATENCY_RATE_QOS0  fixed rate of latency-qos0 [half of mosquitto's qos0-1to1]
#   BENCH_LATENCY_RATE_QOS1  fixed rate of latency-qos1 [half of mosquitto's qos1-1to1]
#   MOSQUITTO_VARIANTS       mosquitto configurations to measure; each profile shows the better
#                            [nagle nodelay] (nagle: set_tcp_nodelay false, its default)
#   THINGPORT_BIN            a thingport binary to use instead of building one
#   SWIFT_BUILD_ARGS         extra arguments for `swift build` (e.g. --scratch-path DIR)
#   BENCH_RESULTS_DIR        where the raw JSON results go [benchmarks/results]
#
# Profiles: qos0-1to1 qos1-1to1 fanout-1to100 fanin-100to1 latency-qos0 latency-qos1
#           idle-plain idle-tls handshake-tls qos0-tls-policy qos1-tls-policy
#
# Over mutual TLS both brokers authorize: Thingport with the client certificate registered
# and device-policy.json (ten statements with policy variables) attached; mosquitto with
# require_certificate, use_identity_as_username and device-acl.conf (ten rules with %c/%u).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

quick=false
for argument in "$@"; do
    case "$argument" in
    --quick) quick=true ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "unknown argument: $argument" >&2
        exit 2
        ;;
    esac
done

if $quick; then
    duration="${BENCH_DURATION:-2}"
    runs="${BENCH_RUNS:-1}"
    idle_connections="${BENCH_IDLE_CONNECTIONS:-1000}"
    warmup_round=false
else
    duration="${BENCH_DURATION:-10}"
    runs="${BENCH_RUNS:-3}"
    idle_connections="${BENCH_IDLE_CONNECTIONS:-10000}"
    warmup_round=true
fi
warmup="${BENCH_WARMUP:-1}"
hold="${BENCH_HOLD:-3}"
payload="${BENCH_PAYLOAD:-64}"
inflight="${BENCH_INFLIGHT:-100}"
queued="${BENCH_QUEUED:-1000}"
mosquitto_variants="${MOSQUITTO_VARIANTS:-nagle nodelay}"
all_profiles="qos0-1to1,qos1-1to1,fanout-1to100,fanin-100to1,latency-qos0,latency-qos1,idle-plain,idle-tls,handshake-tls,qos0-tls-policy,qos1-tls-policy"
profiles="${BENCH_PROFILES:-$all_profiles}"
results_dir="${BENCH_RESULTS_DIR:-$root/benchmarks/results}"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# --- Prerequisites -------------------------------------------------------------------

# shellcheck source=benchmarks/common.sh
source "$here/common.sh"
ensure_mosquitto
command -v openssl >/dev/null || die "openssl is needed"
command -v python3 >/dev/null || die "python3 is needed"
if ! python3 -c "import boto3" 2>/dev/null; then
    log "installing boto3 (registers the client certificate with Thingport)"
    python3 -m pip install -q boto3 >&2
fi

use_thingport_binary
thingport="$THINGPORT_BIN"

# 10,000 connections need 10,000 descriptors in each broker and in the generator.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log "open files limit: $(ulimit -n)"

open_work_dir thingport-bench
trap 'exit 130' INT TERM

wait_for_port() {
    local port="$1" i
    for i in $(seq 1 200); do
        if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

forget_pid() {
    local gone="$1" kept=() pid
    for pid in "${pids[@]}"; do [[ "$pid" != "$gone" ]] && kept+=("$pid"); done
    pids=("${kept[@]}")
}

# --- Thingport -----------------------------------------------------------------------

tp_plain="$(free_port)"
tp_tls="$(free_port)"
tp_api="$(free_port)"
tp_data="$work/thingport-data"
tp_pid=""

start_thingport() {
    "$thingport" serve --host 127.0.0.1 --mqtt-plain-port "$tp_plain" --mqtt-port "$tp_tls" \
        --api-port "$tp_api" --data-dir "$tp_data" --max-inflight "$inflight" \
        --max-queued-messages "$queued" --log-level error >"$work/thingport.out" 2>"$work/thingport.err" &
    tp_pid=$!
    pids+=("$tp_pid")
    local i
    for i in $(seq 1 600); do
        grep -q "thingport ready" "$work/thingport.out" 2>/dev/null && return 0
        kill -0 "$tp_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$work/thingport.err" >&2
    die "thingport did not start"
}

stop_thingport() {
    [[ -n "$tp_pid" ]] || return 0
    kill "$tp_pid" 2>/dev/null || true
    wait "$tp_pid" 2>/dev/null || true
    forget_pid "$tp_pid"
    tp_pid=""
}

log "starting thingport"
start_thingport

# --- Certificates: Thingport's CA signs the client certificate, and mosquitto serves
# Thingport's own server certificate, so both brokers do the same TLS work.

ca_cert="$tp_data/ca/root-ca.pem"
ca_key="$tp_data/ca/root-ca.key"
certs="$work/certs"
mkdir -p "$certs"
[[ -f "$ca_cert" && -f "$ca_key" ]] || die "no CA in $tp_data/ca"
openssl req -newkey rsa:2048 -nodes -subj "/CN=bench-client" \
    -keyout "$certs/client.key" -out "$certs/client.csr" 2>/dev/null
openssl x509 -req -in "$certs/client.csr" -CA "$ca_cert" -CAkey "$ca_key" -CAcreateserial \
    -days 2 -out "$certs/client.pem" 2>/dev/null
if [[ -f "$tp_data/ca/server.pem" && -f "$tp_data/ca/server.key" ]]; then
    server_cert="$tp_data/ca/server.pem"
    server_key="$tp_data/ca/server.key"
else
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
        -keyout "$certs/server.key" -out "$certs/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$certs/server.ext"
    openssl x509 -req -in "$certs/server.csr" -CA "$ca_cert" -CAkey "$ca_key" -CAcreateserial \
        -days 2 -extfile "$certs/server.ext" -out "$certs/server.pem" 2>/dev/null
    server_cert="$certs/server.pem"
    server_key="$certs/server.key"
fi
tls_args=(--cafile "$ca_cert" --cert "$certs/client.pem" --key "$certs/client.key" --server-name localhost)

# A device is its registered certificate: register it, with the ten-statement policy.
python3 "$here/provision_device.py" "http://127.0.0.1:$tp_api" "$tp_data" "$certs/client.pem" \
    "$here/device-policy.json" >/dev/null || die "could not register the client certificate with thingport"

# --- mosquitto: two instances, Nagle on (its default) and off (set_tcp_nodelay true) ----

declare -A mq_plain mq_tls mq_pid
for variant in nagle nodelay; do
    mq_plain[$variant]="$(free_port)"
    mq_tls[$variant]="$(free_port)"
    mq_pid[$variant]=""
    nodelay=false
    [[ "$variant" == nodelay ]] && nodelay=true
    cat >"$work/mosquitto-$variant.conf" <<EOF
# Same limits as Thingport: no persistence, no logging, equal in-flight and queue limits.
per_listener_settings true
persistence false
log_dest none
log_type none
connection_messages false
max_connections -1
max_inflight_messages $inflight
max_queued_messages $queued
set_tcp_nodelay $nodelay
# Stay root to read Thingport's server key (mode 0600).
user root

listener ${mq_plain[$variant]} 127.0.0.1
allow_anonymous true

# Devices: the certificate is the identity (its CN the user name), an ACL decides.
listener ${mq_tls[$variant]} 127.0.0.1
cafile $ca_cert
certfile $server_cert
keyfile $server_key
require_certificate true
use_identity_as_username true
allow_anonymous false
acl_file $here/device-acl.conf
EOF
done

start_mosquitto() {
    local variant="$1"
    "$mosquitto_bin" -c "$work/mosquitto-$variant.conf" >"$work/mosquitto-$variant.log" 2>&1 &
    mq_pid[$variant]=$!
    pids+=("${mq_pid[$variant]}")
    wait_for_port "${mq_plain[$variant]}" && wait_for_port "${mq_tls[$variant]}" || {
        cat "$work/mosquitto-$variant.log" >&2
        die "mosquitto ($variant) did not start"
    }
}

stop_mosquitto() {
    local variant="$1" pid="${mq_pid[$1]}"
    [[ -n "$pid" ]] || return 0
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
    mq_pid[$variant]=""
}

log "starting mosquitto ($("$mosquitto_bin" -h 2>&1 | head -1 | sed 's/^mosquitto //'))"
start_mosquitto nagle
start_mosquitto nodelay

# --- Running profiles ----------------------------------------------------------------

mkdir -p "$results_dir"
stamp="$(date +%Y%m%d-%H%M%S)"
results="$results_dir/broker-vs-mosquitto-$stamp.jsonl"
: >"$results"
log "raw results: $results"

# The mosquitto configurations a profile is measured with. Nagle's algorithm (mosquitto's
# default) helps its throughput but stalls small writes behind delayed ACKs; the table
# shows the better of the two for each profile. Memory does not depend on it.
mosquitto_variants_for() {
    case "$1" in
    idle-*) echo nagle ;;
    *) echo "$mosquitto_variants" ;;
    esac
}

# run_one PROFILE BROKER ROUND ARGS... : one bench run, its JSON appended to the results.
# BROKER is thingport, mosquitto-nagle or mosquitto-nodelay.
run_one() {
    local profile="$1" broker="$2" round="$3"
    shift 3
    local pid plain tls variant=""
    if [[ "$broker" == thingport ]]; then
        pid="$tp_pid" plain="$tp_plain" tls="$tp_tls"
    else
        variant="${broker#mosquitto-}"
        pid="${mq_pid[$variant]}" plain="${mq_plain[$variant]}" tls="${mq_tls[$variant]}"
    fi
    local port="$plain" extra=()
    if [[ "$profile" == *tls* ]]; then
        port="$tls"
        extra=("${tls_args[@]}")
    fi
    local output status=0
    output="$("$thingport" bench --json --port "$port" --broker-pid "$pid" "${extra[@]}" "$@" \
        2>"$work/bench.err" | tail -n 1)" || status=$?
    if [[ $status -ne 0 || "$output" != \{* ]]; then
        log "  $profile $broker round $round failed: $(tail -n 3 "$work/bench.err" | tr '\n' ' ')"
        output='{"failed": true}'
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
        log "  $broker died during $profile"
        output='{"failed": true, "brokerDied": true}'
        if [[ "$broker" == thingport ]]; then
            tail -n 20 "$work/thingport.err" >&2 || true
            forget_pid "$pid"
            start_thingport
        else
            forget_pid "$pid"
            start_mosquitto "$variant"
        fi
    fi
    printf '{"profile": "%s", "broker": "%s", "variant": "%s", "round": %s, "report": %s}\n' \
        "$profile" "${broker%%-*}" "$variant" "$round" "$output" >>"$results"
    summarize_run "$output"
}

summarize_run() {
    python3 - "$1" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
if r.get("failed"):
    sys.exit(0)
mode = r.get("mode")
if mode == "load":
    lat = r.get("latency") or {}
    print("    %.0f msg/s delivered, lost %d, p99 %.0f µs, generator CPU %.0f %%, broker CPU %s %%" % (
        r["deliveredPerSecond"], r["lost"], lat.get("p99", 0), r["generatorCPUPercent"],
        "%.0f" % r["brokerCPUPercent"] if r.get("brokerCPUPercent") is not None else "?"), file=sys.stderr)
elif mode == "idle":
    print("    %d/%d connected, %s KiB per connection" % (r["connected"], r["connections"],
        "%.2f" % r["brokerKiBPerConnection"] if r.get("brokerKiBPerConnection") is not None else "?"), file=sys.stderr)
elif mode == "handshake":
    print("    %.1f connections/s, %d failed" % (r["connectionsPerSecond"], r["failures"]), file=sys.stderr)
PY
}

# run_profile PROFILE RESTART ARGS... : a discarded warm-up round, then RUNS rounds
# interleaved mosquitto, Thingport, Thingport, mosquitto, ... RESTART=yes restarts the
# broker before each of its runs (memory is measured from a fresh process).
run_profile() {
    local profile="$1" restart="$2"
    shift 2
    [[ ",$profiles," == *",$profile,"* ]] || return 0
    log "profile $profile: $*"
    local round order broker variant mosquittos="" reversed=""
    for variant in $(mosquitto_variants_for "$profile"); do
        mosquittos="$mosquittos mosquitto-$variant"
        reversed="mosquitto-$variant $reversed"
    done
    local first=1
    $warmup_round && first=0
    for round in $(seq "$first" "$runs"); do
        if ((round % 2 == 1)); then order="$mosquittos thingport"; else order="thingport $reversed"; fi
        for broker in $order; do
            if [[ "$restart" == yes ]]; then
                if [[ "$broker" == thingport ]]; then
                    stop_thingport
                    start_thingport
                else
                    stop_mosquitto "${broker#mosquitto-}"
                    start_mosquitto "${broker#mosquitto-}"
                fi
                sleep 1
            fi
            log "  $profile $broker round $round$([[ $round == 0 ]] && echo ' (warm-up, discarded)')"
            run_one "$profile" "$broker" "$round" "$@"
        done
    done
}

# median_rate PROFILE : mosquitto's delivered msg/s in PROFILE: the median of its measured
# rounds, in its better configuration.
median_rate() {
    python3 - "$results" "$1" <<'PY'
import collections, json, statistics, sys
rates = collections.defaultdict(list)
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row["profile"] == sys.argv[2] and row["broker"] == "mosquitto" and row["round"] > 0 \
            and not row["report"].get("failed"):
        rates[row["variant"]].append(row["report"]["deliveredPerSecond"])
print(int(max(statistics.median(r) for r in rates.values())) if rates else 0)
PY
}

load=(--duration "$duration" --warmup "$warmup" --payload-size "$payload" --inflight "$inflight")

run_profile qos0-1to1 no "${load[@]}" --qos 0 --publishers 1 --subscribers 1 --topic-mode shared
run_profile qos1-1to1 no "${load[@]}" --qos 1 --publishers 1 --subscribers 1 --topic-mode shared
run_profile fanout-1to100 no "${load[@]}" --qos 0 --publishers 1 --subscribers 100 --topic-mode shared
run_profile fanin-100to1 no "${load[@]}" --qos 0 --publishers 100 --subscribers 1 --topic-mode per-publisher

rate0="${BENCH_LATENCY_RATE_QOS0:-}"
if [[ -z "$rate0" ]]; then
    rate0=$(($(median_rate qos0-1to1) / 2))
    ((rate0 > 0)) || rate0=10000
fi
rate1="${BENCH_LATENCY_RATE_QOS1:-}"
if [[ -z "$rate1" ]]; then
    rate1=$(($(median_rate qos1-1to1) / 2))
    ((rate1 > 0)) || rate1=10000
fi
run_profile latency-qos0 no "${load[@]}" --qos 0 --rate "$rate0"
run_profile latency-qos1 no "${load[@]}" --qos 1 --rate "$rate1"

idle=(--idle-connections "$idle_connections" --hold "$hold" --connect-concurrency 32)
run_profile idle-plain yes "${idle[@]}"
run_profile idle-tls yes "${idle[@]}"
# Two clients on two threads: the client's RSA signature costs more than the server's work.
run_profile handshake-tls no --connect-rate-test "$duration" --connect-concurrency 2 --threads 2
# Publish throughput over mutual TLS with authorization on every publish and delivery.
run_profile qos0-tls-policy no "${load[@]}" --qos 0 --publishers 1 --subscribers 1 --topic-mode shared
run_profile qos1-tls-policy no "${load[@]}" --qos 1 --publishers 1 --subscribers 1 --topic-mode shared

# --- The table -----------------------------------------------------------------------

python3 - "$results" <<'PY'
import json, statistics, sys

rows = [json.loads(line) for line in open(sys.argv[1])]
measured = [r for r in rows if r["round"] > 0 and not r["report"].get("failed")]
failed = [r for r in rows if r["round"] > 0 and r["report"].get("failed")]

def reports(profile, broker, variant=None):
    return [r["report"] for r in measured if r["profile"] == profile and r["broker"] == broker
            and (variant is None or r.get("variant") == variant)]

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

def fmt(value, digits=0, unit=""):
    if value is None:
        return "n/a"
    if digits == 0 and abs(value) >= 1000:
        return "{:,.0f}{}".format(value, unit)
    return "{:.{}f}{}".format(value, digits, unit)

def ratio(thingport, mosquitto, lower_is_better=False):
    if thingport is None or mosquitto is None or mosquitto == 0 or thingport == 0:
        return "n/a"
    return "{:.2f}x".format(mosquitto / thingport if lower_is_better else thingport / mosquitto)

order = ["qos0-1to1", "qos1-1to1", "fanout-1to100", "fanin-100to1", "latency-qos0", "latency-qos1",
         "idle-plain", "idle-tls", "handshake-tls", "qos0-tls-policy", "qos1-tls-policy"]
lines = []
lines.append("| profile | mosquitto | Thingport | Thingport vs mosquitto | notes |")
lines.append("|---|---|---|---|---|")
notes_below = []
def score(profile, rs):
    """How good a set of runs is (higher is better), to pick mosquitto's better configuration."""
    if profile.startswith("latency"):
        p99 = median([(r.get("latency") or {}).get("p99") for r in rs])
        return -p99 if p99 is not None else None
    if profile.startswith("handshake"):
        return median([r.get("connectionsPerSecond") for r in rs])
    if profile.startswith("idle"):
        kib = median([r.get("brokerKiBPerConnection") for r in rs])
        return -kib if kib is not None else None
    return median([r.get("deliveredPerSecond") for r in rs])

for profile in order:
    t = reports(profile, "thingport")
    variants = sorted({r["variant"] for r in measured if r["profile"] == profile and r["broker"] == "mosquitto"})
    best, m = None, []
    for variant in variants:
        rs = reports(profile, "mosquitto", variant)
        if rs and (best is None or (score(profile, rs) or float("-inf")) > (score(profile, m) or float("-inf"))):
            best, m = variant, rs
    if best and len(variants) > 1:
        others = ", ".join("%s %s" % (v, fmt(abs(score(profile, reports(profile, "mosquitto", v)) or 0),
                                             0 if not profile.startswith("idle") else 2))
                           for v in variants if v != best)
        config = "mosquitto %s (other: %s); " % (best, others)
    elif best:
        config = "mosquitto %s; " % best
    else:
        config = ""
    if not m and not t and not any(r["profile"] == profile for r in failed):
        continue
    kind = (m or t or [{}])[0].get("mode")
    runs = "runs: %d/%d" % (len(m), len(t))
    if profile.startswith("latency"):
        def lat(rs, key):
            return median([(r.get("latency") or {}).get(key) for r in rs])
        mp = [lat(m, k) for k in ("p50", "p99", "p999")]
        tp = [lat(t, k) for k in ("p50", "p99", "p999")]
        rate = median([r["targetRate"] for r in m + t])
        lost = sum(r["lost"] for r in m + t)
        lines.append("| %s @ %s msg/s: p50 / p99 / p99.9 (µs) | %s | %s | p99 %s (lower is better) | %s%s%s |" % (
            profile, fmt(rate), " / ".join(fmt(v) for v in mp), " / ".join(fmt(v) for v in tp),
            ratio(tp[1], mp[1], lower_is_better=True), config, runs, ", lost %d" % lost if lost else ""))
    elif kind == "idle" or profile.startswith("idle"):
        mk = median([r.get("brokerKiBPerConnection") for r in m])
        tk = median([r.get("brokerKiBPerConnection") for r in t])
        n = median([r["connected"] for r in m + t])
        lines.append("| %s: KiB per connection (%s held) | %s | %s | %s (memory; lower is better) | %s |" % (
            profile, fmt(n), fmt(mk, 2), fmt(tk, 2), ratio(tk, mk, lower_is_better=True), runs))
    elif kind == "handshake" or profile.startswith("handshake"):
        mr = median([r["connectionsPerSecond"] for r in m])
        tr = median([r["connectionsPerSecond"] for r in t])
        mc = median([r.get("brokerCPUMillisecondsPerConnection") for r in m])
        tc = median([r.get("brokerCPUMillisecondsPerConnection") for r in t])
        mg = median([r.get("generatorCPUPercent") for r in m])
        tg = median([r.get("generatorCPUPercent") for r in t])
        note = "broker CPU per handshake %s / %s ms; generator CPU %s / %s %%" % (
            fmt(mc, 2), fmt(tc, 2), fmt(mg), fmt(tg))
        lines.append("| %s: connections/s | %s | %s | %s | %s%s; %s |" % (
            profile, fmt(mr, 1), fmt(tr, 1), ratio(tr, mr), config, note, runs))
    else:
        mr = median([r["deliveredPerSecond"] for r in m])
        tr = median([r["deliveredPerSecond"] for r in t])
        me = median([r.get("deliveredPerBrokerCPUSecond") for r in m])
        te = median([r.get("deliveredPerBrokerCPUSecond") for r in t])
        mg = median([r["generatorCPUPercent"] for r in m])
        tg = median([r["generatorCPUPercent"] for r in t])
        lost_m = median([r["lost"] / max(r["expectedDeliveries"], 1) * 100 for r in m])
        lost_t = median([r["lost"] / max(r["expectedDeliveries"], 1) * 100 for r in t])
        mb = median([r.get("brokerCPUPercent") for r in m])
        tb = median([r.get("brokerCPUPercent") for r in t])
        note = "per broker CPU-s %s / %s; CPU %% broker %s / %s, generator %s / %s" % (
            fmt(me), fmt(te), fmt(mb), fmt(tb), fmt(mg), fmt(tg))
        if (lost_m or 0) > 0 or (lost_t or 0) > 0:
            note += "; dropped %s / %s %%" % (fmt(lost_m, 1), fmt(lost_t, 1))
        # The generator is the limit when it is busy and the broker is not.
        if (mg or 0) > 85 and (mb or 0) < 90 or (tg or 0) > 85 and (tb or 0) < 90:
            note += " (generator-bound)"
        lines.append("| %s: delivered msg/s | %s | %s | %s | %s%s; %s |" % (
            profile, fmt(mr), fmt(tr), ratio(tr, mr), config, note, runs))
print()
print("\n".join(lines))
print()
print("Medians of measured runs (mosquitto / Thingport where a note has two values).")
if failed:
    print("Failed runs: " + ", ".join("%s %s%s round %d" % (
        r["profile"], r["broker"], " " + r["variant"] if r.get("variant") else "", r["round"]) for r in failed))
PY
log "done; raw results in $results"
