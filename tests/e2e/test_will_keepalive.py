"""Last Will and keep-alive (MQTT 3.1.1 sections 3.1.2.5-3.1.2.10, 3.1.2.10 keep alive)."""

from __future__ import annotations

import time

import pytest

import rawmqtt as m
from brokers import broker_kind

CLOSE_TIMEOUT = 10.0


def keepalive_cutoff(seconds: float) -> tuple[float, float]:
    """(earliest, latest) moment a silent client may be cut: 1.5 × keep-alive, with slack.

    The server must not cut before 1.5 × keep-alive; the slack above it absorbs slow shared
    machines. mosquitto checks keep-alives only every few seconds, hence its wider slack.
    """
    slack = 4.0 if broker_kind() == "thingport" else 8.0
    return 1.5 * seconds - 0.25, 1.5 * seconds + slack


def test_will_is_published_when_the_network_connection_drops(raw, paho, uid):
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"{uid}/will", 1)
    device = raw()
    device.connect_ok(f"{uid}-dev", will=m.Will(f"{uid}/will", b"dropped", qos=1))
    device.abort()
    message = watcher.expect()
    assert (message.topic, message.payload, message.qos, message.retain) == (
        f"{uid}/will",
        b"dropped",
        1,
        False,
    )


def test_will_is_published_when_the_client_closes_the_socket_without_disconnect(raw, paho, uid):
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"{uid}/will", 2)
    device = raw()
    device.connect_ok(f"{uid}-dev", will=m.Will(f"{uid}/will", b"closed", qos=2))
    device.close()
    message = watcher.expect()
    assert (message.payload, message.qos) == (b"closed", 2)


def test_will_is_not_published_after_disconnect(raw, paho, uid):
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"{uid}/will", 1)
    watcher.subscribe(f"{uid}/sentinel", 1)
    device = raw()
    device.connect_ok(f"{uid}-dev", will=m.Will(f"{uid}/will", b"should not appear", qos=1))
    device.send(m.disconnect())
    device.wait_closed(CLOSE_TIMEOUT)
    time.sleep(0.5)
    paho(f"{uid}-pub").publish(f"{uid}/sentinel", b"end", qos=1)
    assert watcher.expect().payload == b"end"
    assert watcher.drain(quiet=0.5) == []


def test_will_is_published_on_a_protocol_violation(raw, paho, uid):
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"{uid}/will", 1)
    device = raw()
    device.connect_ok(f"{uid}-dev", will=m.Will(f"{uid}/will", b"violated", qos=1))
    device.send_quietly(m.publish("bad/+/topic", b"x"))
    device.wait_closed(CLOSE_TIMEOUT)
    assert watcher.expect().payload == b"violated"


def test_will_with_retain_is_stored_as_a_retained_message(raw, paho, uid):
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"{uid}/status", 1)
    device = raw()
    device.connect_ok(f"{uid}-dev", will=m.Will(f"{uid}/status", b"offline", qos=1, retain=True))
    device.abort()
    live = watcher.expect()
    assert (live.payload, live.retain) == (b"offline", False)  # live delivery: retain cleared
    late = raw()
    late.connect_ok(f"{uid}-late")
    late.subscribe([(f"{uid}/status", 1)])
    stored = late.next_publish()
    assert (stored.payload, stored.retain, stored.qos) == (b"offline", True, 1)


def test_will_is_delivered_at_min_of_will_qos_and_subscription_qos(raw, paho, uid):
    watcher = raw()
    watcher.connect_ok(f"{uid}-watch")
    watcher.subscribe([(f"{uid}/will", 1)])
    device = raw()
    device.connect_ok(f"{uid}-dev", will=m.Will(f"{uid}/will", b"w", qos=2))
    device.abort()
    delivered = watcher.next_publish(timeout=30)
    assert (delivered.payload, delivered.qos, delivered.retain) == (b"w", 1, False)


def test_silent_client_is_cut_after_one_and_a_half_keepalives_and_its_will_fires(raw, paho, uid):
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"{uid}/will", 1)
    device = raw()
    device.connect_ok(f"{uid}-dev", keepalive=1, will=m.Will(f"{uid}/will", b"timed out", qos=1))
    start = time.monotonic()
    earliest, latest = keepalive_cutoff(1)
    device.wait_closed(latest + 2)
    elapsed = time.monotonic() - start
    assert earliest <= elapsed <= latest, f"cut after {elapsed:.2f}s, expected {earliest}..{latest}s"
    assert watcher.expect().payload == b"timed out"


def test_keepalive_is_honoured_while_the_client_pings(raw, uid):
    device = raw()
    device.connect_ok(uid, keepalive=1)
    end = time.monotonic() + 3.0
    while time.monotonic() < end:
        time.sleep(0.4)
        assert device.ping().type == m.PINGRESP


def test_any_packet_counts_as_activity_for_keepalive(raw, uid):
    device = raw()
    device.connect_ok(uid, keepalive=1)
    end = time.monotonic() + 3.0
    while time.monotonic() < end:
        time.sleep(0.4)
        device.publish_qos1(f"{uid}/alive", b"tick")
    assert device.ping().type == m.PINGRESP


def test_keepalive_zero_means_no_timeout(raw, uid):
    device = raw()
    device.connect_ok(uid, keepalive=0)
    assert device.recv_or_none(4.0) is None  # silent for a while, and not closed
    assert device.ping().type == m.PINGRESP


@pytest.mark.thingport_only(
    reason="mosquitto 2.0 refuses a 3.1.1 client whose keep-alive exceeds max_keepalive "
    "(CONNACK 0x02), and a max_keepalive below 10"
)
def test_max_keepalive_caps_a_longer_client_keepalive(make_broker, raw, paho, uid):
    broker = make_broker(max_keepalive=2)
    watcher = paho(f"{uid}-watch", on=broker, keepalive=1)  # pings well within the 2 s maximum
    watcher.subscribe(f"{uid}/will", 1)
    device = raw(on=broker)
    assert (
        device.connect(f"{uid}-dev", keepalive=60, will=m.Will(f"{uid}/will", b"capped", qos=1)).return_code
        == 0
    )
    start = time.monotonic()
    earliest, latest = keepalive_cutoff(2)
    device.wait_closed(latest + 2)
    elapsed = time.monotonic() - start
    assert earliest <= elapsed <= latest, f"cut after {elapsed:.2f}s, expected {earliest}..{latest}s"
    assert watcher.expect().payload == b"capped"
