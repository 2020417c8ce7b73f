#!/usr/bin/env bash
# Thingport's SNS against moto_server (PyPI moto[server]): a topic with BENCH_SUBSCRIBERS HTTP
# subscribers (sinks on 127.0.0.1, benchmarks/sns_sinks.py) and one e-mail subscriber, published
# to by boto3 (benchmarks/sns_load.py), against both, in one run, interleaved (moto, Thingport,
# Thingport, moto, …) after a discarded warm-up; prints medians of both and their ratio.
#
# Per run: Publish latency p50/p99 (one client, sequential publishes at BENCH_LATENCY_RATE/s; also
# to a topic without subscribers, as a baseline) with the delivery latency at that rate, and the
# same publishes pre-signed by boto3 and replayed (the server's answer time without boto3's); then
# BENCH_PUBLISHERS processes publish for BENCH_DURATION s, pausing while more than BENCH_WINDOW
# publishes' notifications are undelivered (a bounded backlog, so that the drain stays short):
# deliveries/s (first publish → last delivery) and delivery latency under that load (mostly
# queueing: about backlog ÷ rate); e-mails that reached the SMTP sink.
#
# Thingport verifies SigV4, confirms HTTP subscriptions by a SubscriptionConfirmation POST and
# e-mail ones by a link in a mail (the sinks follow both), and delivers from a persistent queue
# through its SMTP client (--smtp-host, to the SMTP sink) and HTTP client. moto checks no
# signatures, subscribes without confirmation, POSTs to every HTTP endpoint synchronously inside
# Publish, and only records e-mail.
#
#   benchmarks/sns-vs-moto.sh     BENCH_DURATION=10 BENCH_ROUNDS=3 BENCH_SUBSCRIBERS=100 BENCH_PUBLISHERS=4
#                                 BENCH_LATENCY_RATE=10 BENCH_WINDOW=50 BENCH_SINK_PROCESSES=2
#   THINGPORT_BIN=path benchmarks/sns-vs-moto.sh    (skips the release build)
#   BENCH_RESULTS=dir             (keeps every run's JSON report and Thingport's stderr there)
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1  # sns_load.py imports sns_sinks.py: no __pycache__ in the tree

duration=${BENCH_DURATION:-10}
rounds=${BENCH_ROUNDS:-3}
subscribers=${BENCH_SUBSCRIBERS:-100}
publishers=${BENCH_PUBLISHERS:-4}
latency_rate=${BENCH_LATENCY_RATE:-10}
window=${BENCH_WINDOW:-50}
sink_processes=${BENCH_SINK_PROCESSES:-2}

python3 -c "import moto.server" 2>/dev/null || python3 -m pip install -q 'moto[server]'
python3 -c "import boto3" 2>/dev/null || python3 -m pip install -q boto3
python3 -c "import aiosmtpd" 2>/dev/null || python3 -m pip install -q aiosmtpd
# shellcheck source=benchmarks/common.sh
source benchmarks/common.sh  # the working directory is the repository now
use_thingport_binary
open_work_dir thingport-sns-bench
after_stop() {  # keep the raw results when asked
    if [ -n "${BENCH_RESULTS:-}" ]; then
        mkdir -p "$BENCH_RESULTS" && cp "$work"/*.json "$work"/thingport.err "$BENCH_RESULTS"/ 2>/dev/null || true
    fi
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load before: $(uptime)" >&2
# shellcheck source=benchmarks/against-moto.sh
source benchmarks/against-moto.sh  # the working directory is the repository now
smtp_port=$(free_port)
start_thingport_and_moto --smtp-host 127.0.0.1 --smtp-port "$smtp_port"

load() {  # load NAME ROUND → one JSON report in $work/NAME-ROUND.json, a one-line summary on stderr
    local name=$1 round=$2
    local args
    if [ "$name" = thingport ]; then
        args=(--endpoint "http://127.0.0.1:$thingport_port" --access-key-id "$thingport_id"
            --secret-access-key "$thingport_secret" --smtp-port "$smtp_port" --expect-email
            --server-pid "$thingport_pid")
    else
        # moto sends no e-mail: the SMTP sink is not started for it.
        args=(--endpoint "http://127.0.0.1:$moto_port" --access-key-id testing --secret-access-key testing
            --server-pid "$moto_pid")
    fi
    (cd benchmarks && python3 sns_load.py "${args[@]}" --subscribers "$subscribers" \
        --sink-processes "$sink_processes" --duration "$duration" --latency-rate "$latency_rate" \
        --publishers "$publishers" --window "$window") >"$work/$name-$round.json"
    python3 - "$work/$name-$round.json" "$name" "$round" >&2 <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
l, t = r["latency"], r["throughput"]
print(f"round {sys.argv[3]} {sys.argv[2]}: publish p50 {l['publishP50ms']:.1f} p99 {l['publishP99ms']:.1f} ms, "
      f"delivery p50 {l['deliveryP50ms']:.1f} p99 {l['deliveryP99ms']:.1f} ms; "
      f"{t['deliveriesPerSecond']:.0f} deliveries/s ({t['publishesPerSecond']:.1f} publishes/s), "
      f"lost {t['lost']}, e-mails {t['emails']}/{t['expectedEmails']}; "
      f"CPU % server {t['serverCpuPercent']:.0f} sinks {t['sinkCpuPercent']:.0f} "
      f"publishers {t['publisherCpuPercent']:.0f}")
EOF
}

echo "warm-up (discarded)" >&2
load moto 0
load thingport 0
for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then order="moto thingport"; else order="thingport moto"; fi
    for name in $order; do
        load "$name" "$round"
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load after: $(uptime)" >&2

python3 - "$work" "$rounds" "$subscribers" "$publishers" "$duration" "$latency_rate" "$window" "$(nproc)" \
    "$load_before" "$load_after" <<'EOF'
import json, statistics, sys
work, rounds, subscribers, publishers, duration, rate, window, cores, load_before, load_after = sys.argv[1:]
runs = {name: [json.load(open(f"{work}/{name}-{r}.json")) for r in range(1, int(rounds) + 1)]
        for name in ("moto", "thingport")}

def median(name, phase, key):
    return statistics.median(run[phase][key] for run in runs[name])

def total(name, phase, key):
    return sum(run[phase][key] for run in runs[name])

rows = []  # (label, moto, Thingport, ratio); a ratio above 1.00x means Thingport is ahead
def rate_row(label, phase, key, fmt="{:,.0f}"):
    m, t = median("moto", phase, key), median("thingport", phase, key)
    rows.append((label, fmt.format(m), fmt.format(t), f"{t / m:.2f}x" if m else "–"))
def latency_row(label, phase, key):
    m, t = median("moto", phase, key), median("thingport", phase, key)
    rows.append((label, f"{m:,.1f}", f"{t:,.1f}", f"{m / t:.2f}x" if t else "–"))
def pair_row(label, phase, first, second, fmt="{:,.1f}"):  # two medians side by side, no ratio
    rows.append((label, *(f"{fmt.format(median(n, phase, first))} / {fmt.format(median(n, phase, second))}"
                          for n in ("moto", "thingport")), ""))
def totals(name, key):
    return sum(total(name, phase, key) for phase in ("latency", "throughput"))

pair_row("Publish p50 / p99, ms: topic without subscribers", "baseline", "publishP50ms", "publishP99ms")
latency_row(f"Publish p50, ms ({rate}/s, one client)", "latency", "publishP50ms")
latency_row(f"Publish p99, ms ({rate}/s, one client)", "latency", "publishP99ms")
latency_row(f"Publish p50, ms ({rate}/s, boto3-signed, replayed)", "replay", "publishP50ms")
latency_row(f"Publish p99, ms ({rate}/s, boto3-signed, replayed)", "replay", "publishP99ms")
latency_row(f"delivery p50, ms ({rate} publishes/s)", "latency", "deliveryP50ms")
latency_row(f"delivery p99, ms ({rate} publishes/s)", "latency", "deliveryP99ms")
rate_row(f"HTTP deliveries/s ({publishers} publishers)", "throughput", "deliveriesPerSecond")
rate_row("publishes/s", "throughput", "publishesPerSecond", "{:,.1f}")
latency_row("Publish p99, ms, under load", "throughput", "publishP99ms")
pair_row(f"delivery p50 / p99, ms, under load (≤ {window} queued)", "throughput", "deliveryP50ms", "deliveryP99ms",
         "{:,.0f}")
rows.append(("e-mails/s to the SMTP sink", "recorded only",
             f"{median('thingport', 'throughput', 'emailsPerSecond'):,.0f}", ""))
rows.append(("e-mails received / expected (all rounds)", "–",
             f"{totals('thingport', 'emails')} / {totals('thingport', 'expectedEmails')}", ""))
rows.append(("lost / duplicate HTTP deliveries (all rounds)",
             *(f"{totals(n, 'lost')} / {totals(n, 'duplicates')}" for n in ("moto", "thingport")), ""))
rows.append(("CPU % under load: server / sinks / publishers",
             *(" / ".join(f"{median(n, 'throughput', k):.0f}"
                          for k in ("serverCpuPercent", "sinkCpuPercent", "publisherCpuPercent"))
               for n in ("moto", "thingport")), ""))

title = f"SNS, {subscribers} HTTP + 1 e-mail subscribers, {duration}s × {rounds}"
width = max(len(title), *(len(r[0]) for r in rows))
print(f"\n| {title:<{width}} | {'moto':>13} | {'Thingport':>13} |   ratio |")
print(f"|{'-' * (width + 2)}|{'-' * 15}|{'-' * 15}|---------|")
for label, m, t, ratio in rows:
    print(f"| {label:<{width}} | {m:>13} | {t:>13} | {ratio:>7} |")
l99 = median("thingport", "replay", "publishP99ms")
d = median("thingport", "throughput", "deliveriesPerSecond")
print(f"\nMachine: {cores} cores; load average (1/5/15 min) before {load_before}, after {load_after}.")
print(f"\nTargets: Publish answered in < 5 ms p99 (replayed): {l99:.1f} ms ({'met' if l99 < 5 else 'missed'}); "
      f"≥ 2,000 deliveries/s: {d:,.0f} ({'met' if d >= 2000 else 'missed'}).")
print("Ratios: Thingport ÷ moto for rates, moto ÷ Thingport for latencies (above 1.00x Thingport is ahead).")
checks = [run["checks"] for run in runs["thingport"]]
problems = {k: sum(c[k] for c in checks) for k in ("confirmFailures", "missingHeader", "missingFields", "otherRequests")}
if any(problems.values()) or any(run.get("notes") for run in runs["thingport"]):
    print("Thingport format problems:", problems, [n for run in runs["thingport"] for n in run.get("notes", [])][:5])
EOF

errors=$(wc -l <"$work/thingport.err")
if [ "$errors" -gt 0 ]; then
    echo "Thingport wrote $errors lines to stderr (--log-level error); the last ones:" >&2
    tail -n 5 "$work/thingport.err" >&2
fi
