"""boto3 load against an AWS IoT endpoint (Thingport or moto_server), for api-vs-moto.sh.

Each worker process has its own boto3 client and loops over a fixed mix of calls:
CreateThing (a new name each time), DescribeThing, ListThings (maxResults=10) and
AttachThingPrincipal (the new thing to one certificate). Prints one JSON object:
requests per second overall and per operation, and latency percentiles in ms.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
import uuid

import boto3
from botocore.config import Config


def client(args: argparse.Namespace):
    return boto3.client(
        "iot",
        endpoint_url=args.endpoint,
        region_name=args.region,
        aws_access_key_id=args.access_key_id,
        aws_secret_access_key=args.secret_access_key,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=4),
    )


def worker(args: argparse.Namespace, certificate_arn: str, deadline: float, queue) -> None:
    iot = client(args)
    prefix = uuid.uuid4().hex[:8]
    latencies: dict[str, list[float]] = {"CreateThing": [], "DescribeThing": [], "ListThings": [],
                                        "AttachThingPrincipal": []}
    errors = 0
    n = 0
    while time.monotonic() < deadline:
        name = f"bench-{prefix}-{n}"
        n += 1
        for operation, call in (
            ("CreateThing", lambda: iot.create_thing(thingName=name)),
            ("DescribeThing", lambda: iot.describe_thing(thingName=name)),
            ("ListThings", lambda: iot.list_things(maxResults=10)),
            ("AttachThingPrincipal", lambda: iot.attach_thing_principal(thingName=name, principal=certificate_arn)),
        ):
            start = time.perf_counter()
            try:
                call()
            except Exception:  # noqa: BLE001 - counted, not fatal: the run must finish
                errors += 1
                continue
            latencies[operation].append(time.perf_counter() - start)
    queue.put((latencies, errors))


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
    args = parser.parse_args()

    certificate_arn = client(args).create_keys_and_certificate(setAsActive=True)["certificateArn"]
    queue = multiprocessing.Queue()
    deadline = time.monotonic() + args.duration
    workers = [multiprocessing.Process(target=worker, args=(args, certificate_arn, deadline, queue))
               for _ in range(args.processes)]
    started = time.monotonic()
    for process in workers:
        process.start()
    results = [queue.get() for _ in workers]
    for process in workers:
        process.join()
    elapsed = time.monotonic() - started

    merged: dict[str, list[float]] = {}
    errors = 0
    for latencies, worker_errors in results:
        errors += worker_errors
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
    }))


if __name__ == "__main__":
    main()
