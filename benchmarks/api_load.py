"""boto3 load against an AWS IoT endpoint (Thingport or moto_server), for api-vs-moto.sh.

Each worker process loops over a fixed mix of calls: CreateThing (a new name each time),
DescribeThing, ListThings (maxResults=10) and AttachThingPrincipal (the new thing to one
certificate). Two ways to send them:

- ``--client replay`` (default): each worker first has boto3 build and SigV4-sign the whole
  sequence (the exact requests boto3 sends, captured before sending), then replays them over
  one keep-alive HTTP connection, timing each and checking its status. The servers get the
  same requests as with boto3, but the generator's Python (signing, parsing) is out of the
  measured window, so it does not cap the faster server.
- ``--client boto3``: each worker calls boto3 directly (signing and parsing in the loop).

Prints one JSON object: requests per second overall and per operation, latency percentiles
in ms, errors, and the generator's CPU (per cent of one core, summed over workers) during
the measured window.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
import uuid

import boto3
from botocore.config import Config

import signed_replay

OPERATIONS = ("CreateThing", "DescribeThing", "ListThings", "AttachThingPrincipal")


def client(args: argparse.Namespace):
    return boto3.client(
        "iot",
        endpoint_url=args.endpoint,
        region_name=args.region,
        aws_access_key_id=args.access_key_id,
        aws_secret_access_key=args.secret_access_key,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=4),
    )


def calls(iot, name: str, certificate_arn: str):
    """The mix for one new thing name, as (operation, call) pairs."""
    return (
        ("CreateThing", lambda: iot.create_thing(thingName=name)),
        ("DescribeThing", lambda: iot.describe_thing(thingName=name)),
        ("ListThings", lambda: iot.list_things(maxResults=10)),
        ("AttachThingPrincipal", lambda: iot.attach_thing_principal(thingName=name, principal=certificate_arn)),
    )


def boto3_worker(args: argparse.Namespace, certificate_arn: str, ready, queue) -> None:
    iot = client(args)
    prefix = uuid.uuid4().hex[:8]
    latencies: dict[str, list[float]] = {operation: [] for operation in OPERATIONS}
    errors = 0
    n = 0
    ready.wait()
    cpu = time.process_time()
    deadline = time.monotonic() + args.duration
    while time.monotonic() < deadline:
        name = f"bench-{prefix}-{n}"
        n += 1
        for operation, call in calls(iot, name, certificate_arn):
            start = time.perf_counter()
            try:
                call()
            except Exception:  # noqa: BLE001 - counted, not fatal: the run must finish
                errors += 1
                continue
            latencies[operation].append(time.perf_counter() - start)
    queue.put((latencies, errors, time.process_time() - cpu))


def signed_requests(args: argparse.Namespace, certificate_arn: str, count: int):
    """`count` rounds of the mix as boto3 builds and signs them: (operation, method, path, headers, body)."""
    iot = client(args)
    prefix = uuid.uuid4().hex[:8]
    operations, invocations = [], []
    for n in range(count):
        for operation, call in calls(iot, f"bench-{prefix}-{n}", certificate_arn):
            operations.append(operation)
            invocations.append(call)
    return [(operation, request) for operation, request in zip(operations, signed_replay.capture(iot, invocations))]


def replay_worker(args: argparse.Namespace, certificate_arn: str, ready, queue) -> None:
    requests = signed_requests(args, certificate_arn, args.presign)
    replayer = signed_replay.Replayer(args.endpoint, timeout=30)
    latencies: dict[str, list[float]] = {operation: [] for operation in OPERATIONS}
    errors = 0
    ready.wait()
    cpu = time.process_time()
    deadline = time.monotonic() + args.duration
    for operation, request in requests:
        if time.monotonic() >= deadline:
            break
        latency = replayer.send(request)
        if latency is None:
            errors += 1
        else:
            latencies[operation].append(latency)
    else:
        errors += 1_000_000  # ran out of signed requests: raise --presign
    replayer.close()
    queue.put((latencies, errors, time.process_time() - cpu))


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--secret-access-key", required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--client", choices=("replay", "boto3"), default="replay")
    parser.add_argument("--presign", type=int, default=5000,
                        help="rounds of the mix each replay worker signs beforehand (4 requests each)")
    args = parser.parse_args()

    certificate_arn = client(args).create_keys_and_certificate(setAsActive=True)["certificateArn"]
    queue = multiprocessing.Queue()
    # Every worker gets ready (replay workers sign their requests, untimed), then all start
    # together and measure for --duration seconds.
    ready = multiprocessing.Barrier(args.processes)
    target = replay_worker if args.client == "replay" else boto3_worker
    workers = [multiprocessing.Process(target=target, args=(args, certificate_arn, ready, queue))
               for _ in range(args.processes)]
    for process in workers:
        process.start()
    results = [queue.get() for _ in workers]
    for process in workers:
        process.join()
    elapsed = args.duration

    merged: dict[str, list[float]] = {}
    errors = 0
    generator_cpu = 0.0
    for latencies, worker_errors, cpu_seconds in results:
        errors += worker_errors
        generator_cpu += cpu_seconds
        for operation, values in latencies.items():
            merged.setdefault(operation, []).extend(values)
    everything = [value for values in merged.values() for value in values]
    print(json.dumps({
        "requests": len(everything),
        "errors": errors,
        "requestsPerSecond": len(everything) / elapsed,
        "perOperation": {operation: len(values) / elapsed for operation, values in merged.items()},
        "p50ms": percentile(everything, 0.50),
        "p99ms": percentile(everything, 0.99),
        "client": args.client,
        "generatorCPUPercent": 100 * generator_cpu / elapsed,
    }))


if __name__ == "__main__":
    main()
