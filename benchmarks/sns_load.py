"""SNS fan-out load against one endpoint (Thingport or moto_server), for sns-vs-moto.sh.

One run: start the sinks (sns_sinks.py: SUBSCRIBERS HTTP endpoints on 127.0.0.1 in a few
processes, plus an SMTP sink if --smtp-port is given), create a topic, subscribe every HTTP
endpoint and one e-mail address, wait until all subscriptions are confirmed (the sinks confirm
from the SubscriptionConfirmation POST and the confirmation e-mail), publish one untimed
priming message and wait for its deliveries, then:

0. "baseline": one boto3 client publishes to a topic without subscribers at --latency-rate for
   half of --duration: what Publish costs without fan-out (boto3 itself, SigV4, the API).
1. "latency": one boto3 client publishes sequentially at --latency-rate publishes/s for
   --duration seconds; Publish latency (client side) and delivery latency (receive time at the
   sink minus the send time written into the message) p50/p99, after the deliveries drained.
   Then "replay": the same number of Publish requests, built and SigV4-signed by boto3
   beforehand, sent at the same rate over one keep-alive connection: the time the server takes
   to answer Publish, without boto3's own cost (about 1.5 ms of client CPU per call).
2. "throughput": --publishers processes, each with its own boto3 client, publish as fast as they
   can for --duration seconds, but pause while more than --window publishes' worth of
   notifications are undelivered (the sinks count in shared memory), so the backlog stays
   bounded; then the deliveries drain. Deliveries/s = HTTP notifications received / (first
   publish → last delivery); e-mails/s likewise (first publish → last e-mail).

Prints one JSON object. The topic is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
import uuid

import boto3
from botocore.config import Config

import signed_replay
import sns_sinks


def client(args: argparse.Namespace):
    return boto3.client(
        "sns",
        endpoint_url=args.endpoint,
        region_name=args.region,
        aws_access_key_id=args.access_key_id,
        aws_secret_access_key=args.secret_access_key,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=120,
                      max_pool_connections=2),
    )


def message(phase: str, publisher: int, seq: int) -> str:
    # Key order fixed: the SMTP sink finds the message in an e-mail body by its shape.
    return json.dumps({"phase": phase, "pub": publisher, "seq": seq, "sent": time.time_ns()})


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def server_cpu_seconds(pid: int | None) -> float:
    if not pid:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def publisher(args, topic_arn: str, index: int, deadline: float, window: int, published, delivered_base: int,
              counters, queue) -> None:
    """A throughput-phase publisher process."""
    sns = client(args)
    latencies = []
    errors = 0
    first_ns = 0
    seq = 0
    paused = 0.0
    while time.monotonic() < deadline:
        backlog = sum(published) * args.subscribers - (sum(counters) - delivered_base)
        if backlog > window * args.subscribers:
            time.sleep(0.002)
            paused += 0.002
            continue
        body = message("throughput", index, seq)
        seq += 1
        first_ns = first_ns or time.time_ns()
        start = time.perf_counter()
        try:
            sns.publish(TopicArn=topic_arn, Message=body)
        except Exception as error:  # noqa: BLE001 - counted, the run goes on
            errors += 1
            if errors <= 3:
                print(f"publish failed: {error!r}", flush=True)
            continue
        latencies.append(time.perf_counter() - start)
        published[index] += 1
    queue.put({"latencies": latencies, "errors": errors, "first_ns": first_ns, "cpu": time.process_time(),
               "paused": paused})


def sequential(sns, topic_arn: str, rate: float, duration: float, phase: str) -> tuple[list[float], int]:
    """One client publishing at a fixed rate (or as fast as Publish answers, if slower); latencies in ms."""
    latencies, errors = [], 0
    interval = 1 / rate
    deadline = time.monotonic() + duration
    next_at = time.monotonic()
    seq = 0
    while time.monotonic() < deadline:
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        next_at = max(next_at + interval, time.monotonic() - interval)
        body = message(phase, 0, seq)
        seq += 1
        start = time.perf_counter()
        try:
            sns.publish(TopicArn=topic_arn, Message=body)
            latencies.append((time.perf_counter() - start) * 1000)
        except Exception as error:  # noqa: BLE001 - counted, the run goes on
            errors += 1
            print(f"publish failed: {error!r}", flush=True)
    return latencies, errors


def signed_publishes(args: argparse.Namespace, topic_arn: str, count: int, phase: str) -> list:
    """`count` Publish requests as boto3 builds and signs them."""
    sns = client(args)
    stand_in = b"<PublishResponse><PublishResult><MessageId>x</MessageId></PublishResult></PublishResponse>"
    calls = [lambda seq=seq: sns.publish(TopicArn=topic_arn, Message=message(phase, 0, seq)) for seq in range(count)]
    return signed_replay.capture(sns, calls, stand_in)


def replayed(args: argparse.Namespace, requests: list, rate: float) -> tuple[list[float], int]:
    """Sends pre-signed requests at a fixed rate over one keep-alive connection; latencies in ms."""
    replayer = signed_replay.Replayer(args.endpoint)
    latencies, errors = [], 0
    interval = 1 / rate
    next_at = time.monotonic()
    for request in requests:
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        next_at = max(next_at + interval, time.monotonic() - interval)
        latency = replayer.send(request)
        if latency is None:
            errors += 1
        else:
            latencies.append(latency * 1000)
    replayer.close()
    return latencies, errors


def wait_for(condition, timeout: float, stall: float, progress=None) -> bool:
    """Waits until condition() or timeout; gives up early when progress() has not moved for stall s."""
    deadline = time.monotonic() + timeout
    last_value, last_change = None, time.monotonic()
    while time.monotonic() < deadline:
        if condition():
            return True
        if progress is not None:
            value = progress()
            if value != last_value:
                last_value, last_change = value, time.monotonic()
            elif time.monotonic() - last_change > stall:
                return False
        time.sleep(0.02)
    return condition()


def summary(report: dict, first_ns: int, expected_http: int, expected_mail: int) -> dict:
    http, mail = report["http"], report["mail"]
    http_ms = [value / 1e6 for value in http["latencies_ns"]]
    mail_ms = [value / 1e6 for value in mail["latencies_ns"]]
    http_span = (http["last_ns"] - first_ns) / 1e9 if http["last_ns"] else 0
    mail_span = (mail["last_ns"] - first_ns) / 1e9 if mail["last_ns"] else 0
    return {
        "deliveries": http["count"], "expectedDeliveries": expected_http,
        "lost": expected_http - http["unique"], "duplicates": http["duplicates"],
        "deliveriesPerSecond": http["count"] / http_span if http_span > 0 else 0,
        "deliveryP50ms": percentile(http_ms, 0.50), "deliveryP99ms": percentile(http_ms, 0.99),
        "deliveryMaxMs": max(http_ms, default=0),
        "emails": mail["count"], "expectedEmails": expected_mail, "emailDuplicates": mail["duplicates"],
        "emailsPerSecond": mail["count"] / mail_span if mail_span > 0 else 0,
        "emailP50ms": percentile(mail_ms, 0.50), "emailP99ms": percentile(mail_ms, 0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--secret-access-key", required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--subscribers", type=int, default=100, help="HTTP subscriber endpoints")
    parser.add_argument("--sink-processes", type=int, default=2)
    parser.add_argument("--smtp-port", type=int, help="run the SMTP sink here (the broker sends to it)")
    parser.add_argument("--email", default="bench@example.com", help="the e-mail subscriber's address")
    parser.add_argument("--expect-email", action="store_true",
                        help="e-mails are delivered to the SMTP sink (wait for them; otherwise only recorded)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each phase")
    parser.add_argument("--latency-rate", type=float, default=10.0, help="publishes/s in the latency phase")
    parser.add_argument("--publishers", type=int, default=4, help="publisher processes in the throughput phase")
    parser.add_argument("--window", type=int, default=50,
                        help="throughput phase: pause publishing while more than this many publishes' notifications "
                             "are undelivered")
    parser.add_argument("--drain-timeout", type=float, default=60.0, help="longest wait for deliveries after a phase")
    parser.add_argument("--server-pid", type=int, help="report this process's CPU time per phase (Linux)")
    args = parser.parse_args()

    sinks = sns_sinks.Sinks(args.subscribers, args.sink_processes, args.smtp_port)
    sns = client(args)
    result: dict = {"subscribers": args.subscribers, "publishers": args.publishers, "window": args.window,
                    "latencyRate": args.latency_rate, "duration": args.duration}
    topic_arn = sns.create_topic(Name=f"bench-{uuid.uuid4().hex[:12]}")["TopicArn"]
    mail_expected = 1 if args.expect_email else 0
    try:
        # Subscribe, and wait until every subscription is confirmed.
        for port in sinks.ports:
            sns.subscribe(TopicArn=topic_arn, Protocol="http", Endpoint=f"http://127.0.0.1:{port}/")
        sns.subscribe(TopicArn=topic_arn, Protocol="email", Endpoint=args.email)

        def pending() -> int:
            arns = [subscription["SubscriptionArn"]
                    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn)
                    for subscription in page["Subscriptions"]]
            return sum(1 for arn in arns if not arn.startswith("arn:")) + max(0, args.subscribers + 1 - len(arns))

        started = time.monotonic()
        confirmed = wait_for(lambda: pending() <= (0 if args.expect_email else 1), 60, 60)
        result["confirmSeconds"] = time.monotonic() - started
        if not confirmed:
            result["confirmationProblem"] = f"{pending()} subscriptions still pending after 60 s"

        # Priming: one untimed publish (moto makes each subscription's signing key at its first message).
        base = sinks.delivered()
        sns.publish(TopicArn=topic_arn, Message=message("prime", 0, 0))
        wait_for(lambda: sinks.delivered() - base >= args.subscribers, args.drain_timeout, 15, sinks.delivered)
        if args.expect_email:
            wait_for(lambda: sinks.report("prime")["mail"]["count"] >= 1, 15, 15)

        # Baseline: the same publishes to a topic without subscribers (boto3 and the API's own cost).
        empty_arn = sns.create_topic(Name=f"bench-empty-{uuid.uuid4().hex[:12]}")["TopicArn"]
        empty, empty_errors = sequential(sns, empty_arn, args.latency_rate, args.duration / 2, "baseline")
        sns.delete_topic(TopicArn=empty_arn)
        result["baseline"] = {"publishes": len(empty), "publishErrors": empty_errors,
                              "publishP50ms": percentile(empty, 0.50), "publishP99ms": percentile(empty, 0.99)}

        # Phase 1: sequential publishes at a modest rate.
        base = sinks.delivered()
        cpu_sinks, cpu_server, wall = sinks.cpu_seconds(), server_cpu_seconds(args.server_pid), time.monotonic()
        first_ns = time.time_ns()
        latencies, errors = sequential(sns, topic_arn, args.latency_rate, args.duration, "latency")
        published = len(latencies)
        wait_for(lambda: sinks.delivered() - base >= published * args.subscribers, args.drain_timeout, 15,
                 sinks.delivered)
        if args.expect_email:
            wait_for(lambda: sinks.report("latency")["mail"]["count"] >= published, 30, 10,
                     lambda: sinks.report("latency")["mail"]["count"])
        elapsed = time.monotonic() - wall
        latency = summary(sinks.report("latency"), first_ns, published * args.subscribers, published * mail_expected)
        latency.update({
            "publishes": published, "publishErrors": errors,
            "publishP50ms": percentile(latencies, 0.50), "publishP99ms": percentile(latencies, 0.99),
            "publishMaxMs": max(latencies, default=0),
            "sinkCpuPercent": 100 * (sinks.cpu_seconds() - cpu_sinks) / elapsed,
            "serverCpuPercent": 100 * (server_cpu_seconds(args.server_pid) - cpu_server) / elapsed,
        })
        result["latency"] = latency

        # The same publishes, pre-signed by boto3 and replayed: the server's answer time alone.
        requests = signed_publishes(args, topic_arn, published, "replay")
        base = sinks.delivered()
        replay, replay_errors = replayed(args, requests, args.latency_rate)
        wait_for(lambda: sinks.delivered() - base >= len(replay) * args.subscribers, args.drain_timeout, 15,
                 sinks.delivered)
        result["replay"] = {"publishes": len(replay), "publishErrors": replay_errors,
                            "publishP50ms": percentile(replay, 0.50), "publishP99ms": percentile(replay, 0.99)}

        # Phase 2: sustained publishing from several processes, backlog bounded by the window.
        base = sinks.delivered()
        published_counts = multiprocessing.Array("q", args.publishers, lock=False)
        queue = multiprocessing.Queue()
        cpu_sinks, cpu_server, wall = sinks.cpu_seconds(), server_cpu_seconds(args.server_pid), time.monotonic()
        deadline = time.monotonic() + args.duration
        workers = [multiprocessing.Process(
            target=publisher,
            args=(args, topic_arn, index, deadline, args.window, published_counts, base, sinks.counters, queue))
            for index in range(args.publishers)]
        for worker in workers:
            worker.start()
        results = [queue.get() for _ in workers]
        for worker in workers:
            worker.join()
        publish_seconds = time.monotonic() - wall
        published = sum(published_counts)
        drained = wait_for(lambda: sinks.delivered() - base >= published * args.subscribers, args.drain_timeout, 15,
                           sinks.delivered)
        if args.expect_email:
            wait_for(lambda: sinks.report("throughput")["mail"]["count"] >= published, 30, 10,
                     lambda: sinks.report("throughput")["mail"]["count"])
        elapsed = time.monotonic() - wall
        first_ns = min((r["first_ns"] for r in results if r["first_ns"]), default=time.time_ns())
        publish_ms = [value * 1000 for r in results for value in r["latencies"]]
        throughput = summary(sinks.report("throughput"), first_ns, published * args.subscribers,
                             published * mail_expected)
        throughput.update({
            "publishes": published, "publishErrors": sum(r["errors"] for r in results),
            "publishesPerSecond": published / publish_seconds,
            "publishP50ms": percentile(publish_ms, 0.50), "publishP99ms": percentile(publish_ms, 0.99),
            "drained": drained, "seconds": elapsed,
            "publisherPausedPercent": 100 * sum(r["paused"] for r in results) / (args.publishers * publish_seconds),
            "publisherCpuPercent": 100 * sum(r["cpu"] for r in results) / publish_seconds,
            "sinkCpuPercent": 100 * (sinks.cpu_seconds() - cpu_sinks) / elapsed,
            "serverCpuPercent": 100 * (server_cpu_seconds(args.server_pid) - cpu_server) / elapsed,
        })
        result["throughput"] = throughput
        final = sinks.report("throughput")
        result["checks"] = {key: final[key] for key in ("confirmations", "confirmFailures", "mailConfirmations",
                                                         "mails", "missingHeader", "missingFields", "otherRequests")}
        result["notes"] = final["notes"]
    finally:
        try:
            sns.delete_topic(TopicArn=topic_arn)
        except Exception:  # noqa: BLE001 - the next round uses a new topic anyway
            pass
        sinks.stop()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
