# Sourced by the benchmark scripts: what they all need.
#
#   free_port               prints a free TCP port on 127.0.0.1
#   use_thingport_binary    sets THINGPORT_BIN: the given binary, or a release build of this
#                           repository (`swift build -c release`, with SWIFT_BUILD_ARGS)
#   ensure_mosquitto        sets mosquitto_bin, installing mosquitto from Debian if missing
#   open_work_dir NAME      makes the scratch directory $work and the array $pids; on exit every
#                           process in $pids is stopped, the caller's `after_stop` runs if it
#                           defines one, and $work is removed

bench_repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

use_thingport_binary() {
    if [[ -z "${THINGPORT_BIN:-}" ]]; then
        echo "building thingport (release)" >&2
        # shellcheck disable=SC2086
        (cd "$bench_repository" && swift build -c release --product thingport ${SWIFT_BUILD_ARGS:-} >&2)
        # shellcheck disable=SC2086
        THINGPORT_BIN="$(cd "$bench_repository" && swift build -c release --show-bin-path ${SWIFT_BUILD_ARGS:-})/thingport"
    fi
    [[ -x "$THINGPORT_BIN" ]] || { echo "no thingport binary at $THINGPORT_BIN" >&2; exit 1; }
}

ensure_mosquitto() {
    mosquitto_bin="$(command -v mosquitto || true)"
    [[ -z "$mosquitto_bin" && -x /usr/sbin/mosquitto ]] && mosquitto_bin=/usr/sbin/mosquitto
    if [[ -z "$mosquitto_bin" ]]; then
        echo "installing mosquitto from Debian" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto >/dev/null
        mosquitto_bin=/usr/sbin/mosquitto
    fi
}

open_work_dir() {
    work="$(mktemp -d "/tmp/$1.XXXXXX")"
    pids=()
    trap stop_and_clean_up EXIT
}

stop_and_clean_up() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if declare -F after_stop >/dev/null; then after_stop || true; fi
    rm -rf "$work"
}
