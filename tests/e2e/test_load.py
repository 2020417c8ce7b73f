"""Stalled subscribers, memory bounds and many connections (functional checks, no timing claims)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

import rawmqtt as m
from clients import PahoClient


def stalled_subscriber(broker, client_id: str, filters: list[tuple[str, int]]) -> m.RawClient:
    """A client with a tiny receive buffer that subscribes and then never reads again."""
    client = m.RawClient(broker.host, broker.plain_port, rcvbuf=4096)
    client.connect_ok(client_id)
    client.subscribe(filters)
    return client


def fast_publisher(paho, client_id: str, **kwargs) -> PahoClient:
    publisher = paho(client_id, connect=False, **kwargs)
    publisher.client.max_inflight_messages_set(100)
    return publisher.connect()


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_stalled_subscriber_does_not_hold_up_a_normal_subscriber(broker, paho, raw, uid):
    topic = f"{uid}/firehose"
    stalled = [
        stalled_subscriber(broker, f"{uid}-stalled0", [(topic, 0)]),
        stalled_subscriber(broker, f"{uid}-stalled1", [(topic, 1)]),
    ]
    normal = paho(f"{uid}-normal")
    normal.subscribe(topic, 1)
    publisher = fast_publisher(paho, f"{uid}-pub")
    payload = b"x" * 1024
    received: list[int] = []
    # In batches the normal subscriber can keep up with (a broker may drop for a subscriber
    # that falls too far behind; that is not what this test is about).
    for batch in range(10):
        infos = [
            publisher.publish(topic, str(i).encode() + b":" + payload, qos=1, wait=False)
            for i in range(batch * 500, (batch + 1) * 500)
        ]
        for info in infos:
            info.wait_for_publish(60)
            assert info.is_published()
        received += [int(message.payload.split(b":", 1)[0]) for message in normal.collect(500, timeout=60)]
    assert received == list(range(5000))

    # Still serving everybody else.
    newcomer = raw()
    newcomer.connect_ok(f"{uid}-newcomer")
    assert newcomer.ping().type == m.PINGRESP
    for client in stalled:
        client.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to read the broker's memory")
def test_stalled_subscriber_does_not_grow_broker_memory_without_bound(make_broker, paho, raw, uid):
    broker = make_broker()
    topic = f"{uid}/flood"
    stalled = stalled_subscriber(broker, f"{uid}-stalled", [(topic, 0)])
    publisher = fast_publisher(paho, f"{uid}-pub", on=broker)
    publisher.publish(f"{uid}/warmup", b"w" * 4096, qos=1)
    before = rss_bytes(broker.process.pid)
    payload = os.urandom(16 * 1024)
    total = 0
    for _ in range(8):  # 8 × 1000 × 16 KiB = 128 MiB towards a client that reads nothing
        for _ in range(999):
            publisher.publish(topic, payload, qos=0, wait=False)
        publisher.publish(topic, payload, qos=1)
        total += 1000 * len(payload)
    growth = rss_bytes(broker.process.pid) - before
    assert growth < total // 2, (
        f"broker grew by {growth >> 20} MiB after {total >> 20} MiB to a stalled client"
    )
    probe = raw(on=broker)
    probe.connect_ok(f"{uid}-probe")
    assert probe.ping().type == m.PINGRESP
    stalled.close()


def test_two_hundred_concurrent_connections(broker, paho, uid):
    topic = f"{uid}/all"
    clients: list[m.RawClient] = []
    try:
        for _ in range(200):
            clients.append(m.RawClient(broker.host, broker.plain_port, timeout=60))
        for index, client in enumerate(clients):
            client.send(m.connect(f"{uid}-{index}", keepalive=120))
        for client in clients:
            assert client.expect(m.CONNACK).return_code == 0
        for client in clients:
            client.send(m.subscribe(1, [(topic, 1)]))
        for client in clients:
            assert client.expect(m.SUBACK).return_codes == [1]
        paho(f"{uid}-pub").publish(topic, b"to everyone", qos=1)
        for client in clients:
            delivery = client.expect(m.PUBLISH)
            assert delivery.payload == b"to everyone"
            client.send(m.puback(delivery.packet_id))
        for client in clients:
            assert client.ping().type == m.PINGRESP
    finally:
        for client in clients:
            client.close()


def test_connections_opened_and_dropped_repeatedly_leave_the_broker_healthy(broker, raw, uid):
    for index in range(100):
        sock = socket.create_connection((broker.host, broker.plain_port), timeout=10)
        if index % 2:
            sock.sendall(m.connect(f"{uid}-{index}")[:7])  # half a CONNECT
        sock.close()
    client = raw()
    client.connect_ok(f"{uid}-after")
    assert client.ping().type == m.PINGRESP
