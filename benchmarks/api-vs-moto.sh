#!/usr/bin/env bash
# Thingport's AWS IoT API against moto_server (PyPI moto[server]): the same boto3 load
# (CreateThing, DescribeThing, ListThings, AttachThingPrincipal) against both, in one run,
# interleaved (moto, Thingport, Thingport, moto, …) after a discarded warm-up; prints the
# medians of both and their ratio. Thingport verifies SigV4 on every request; moto does not.
#
# By default the requests are built and SigV4-signed by boto3 before the measured window and
# replayed over keep-alive connections (BENCH_CLIENT=replay), so that the generator's Python
# does not cap the faster server; BENCH_CLIENT=boto3 calls boto3 in the loop instead.
#
#   benchmarks/api-vs-moto.sh            BENCH_DURATION=10 BENCH_ROUNDS=3 BENCH_PROCESSES=4
#   THINGPORT_BIN=path benchmarks/api-vs-moto.sh    (skips the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1  # api_load.py imports signed_replay.py: no __pycache__ in the tree

duration=${BENCH_DURATION:-10}
rounds=${BENCH_ROUNDS:-3}
processes=${BENCH_PROCESSES:-4}
client=${BENCH_CLIENT:-replay}

python3 -c "import moto.server" 2>/dev/null || python3 -m pip install -q 'moto[server]'
python3 -c "import boto3" 2>/dev/null || python3 -m pip install -q boto3
# shellcheck source=benchmarks/common.sh
source benchmarks/common.sh  # the working directory is the repository now
use_thingport_binary
open_work_dir thingport-api-bench

# shellcheck source=benchmarks/against-moto.sh
source benchmarks/against-moto.sh  # the working directory is the repository now
start_thingport_and_moto

load() {  # load NAME → requests per second (one JSON report kept in $work)
    local name=$1 round=$2
    local endpoint id secret
    if [ "$name" = thingport ]; then
        endpoint="http://127.0.0.1:$thingport_port" id=$thingport_id secret=$thingport_secret
    else
        endpoint="http://127.0.0.1:$moto_port" id=testing secret=testing
    fi
    python3 benchmarks/api_load.py --endpoint "$endpoint" --access-key-id "$id" --secret-access-key "$secret" \
        --processes "$processes" --duration "$duration" --client "$client" >"$work/$name-$round.json"
    python3 -c "import json; r=json.load(open('$work/$name-$round.json')); print(f\"{r['requestsPerSecond']:.0f} {r['p50ms']:.2f} {r['p99ms']:.2f} {r['errors']} {r['generatorCPUPercent']:.0f}\")"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "warm-up (discarded)" >&2
load moto 0 >/dev/null
load thingport 0 >/dev/null
thingport_rates=()
moto_rates=()
for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then order="moto thingport"; else order="thingport moto"; fi
    for name in $order; do
        read -r rate p50 p99 errors generator < <(load "$name" "$round")
        echo "round $round $name: $rate req/s, p50 $p50 ms, p99 $p99 ms, errors $errors, generator CPU $generator %" >&2
        if [ "$name" = thingport ]; then thingport_rates+=("$rate"); else moto_rates+=("$rate"); fi
    done
done

thingport_median=$(printf '%s\n' "${thingport_rates[@]}" | median)
moto_median=$(printf '%s\n' "${moto_rates[@]}" | median)
printf '\n| %-40s | %10s | %10s | %6s |\n' "boto3 mix ($client), $processes processes, ${duration}s × $rounds" moto Thingport ratio
printf '|%s|%s|%s|%s|\n' "------------------------------------------" "------------" "------------" "--------"
printf '| %-40s | %10s | %10s | %5.2fx |\n' "requests/s (median)" "$moto_median" "$thingport_median" \
    "$(python3 -c "print($thingport_median / max($moto_median, 1))")"
