# Sourced by api-vs-moto.sh and sns-vs-moto.sh: starts `thingport serve` (with the caller's
# extra arguments) and moto_server on free ports, waits until both answer, and sets
# thingport_port, moto_port, thingport_pid, moto_pid, thingport_id and thingport_secret.
# Expects THINGPORT_BIN, $work, the pids array and free_port (benchmarks/common.sh).

start_thingport_and_moto() {
    thingport_port=$(free_port)
    moto_port=$(free_port)
    "$THINGPORT_BIN" serve --data-dir "$work/data" --api-port "$thingport_port" --mqtt-port "$(free_port)" \
        "$@" --log-level error >"$work/thingport.out" 2>"$work/thingport.err" &
    thingport_pid=$!
    pids+=("$thingport_pid")
    python3 -m moto.server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
    moto_pid=$!
    pids+=("$moto_pid")

    for _ in $(seq 1 600); do
        grep -q "thingport ready" "$work/thingport.out" 2>/dev/null && break
        sleep 0.1
    done
    grep -q "thingport ready" "$work/thingport.out" || { cat "$work/thingport.err" >&2; exit 1; }
    for _ in $(seq 1 600); do
        curl -s -o /dev/null "http://127.0.0.1:$moto_port/moto-api/" && break
        sleep 0.1
    done

    thingport_id=$(python3 -c "import json; print(json.load(open('$work/data/secret.key'))['AWS_ACCESS_KEY_ID'])")
    thingport_secret=$(python3 -c "import json; print(json.load(open('$work/data/secret.key'))['AWS_SECRET_ACCESS_KEY'])")
}
