"""CONNECT / CONNACK, PINGREQ, DISCONNECT (MQTT 3.1.1 sections 3.1, 3.2, 3.12-3.14)."""

from __future__ import annotations

import uuid

import pytest

import rawmqtt as m

CLOSE_TIMEOUT = 10.0


def test_connack_accepts_with_code_0_and_no_session_present(raw, uid):
    client = raw()
    connack = client.connect(uid)
    assert connack.raw == bytes([0x20, 0x02, 0x00, 0x00])


@pytest.mark.parametrize("level", [0, 2, 3, 6, 255])
def test_unsupported_protocol_level_gets_connack_0x01_then_close(raw, uid, level):
    client = raw()
    client.send(m.connect(uid, level=level))
    connack = client.expect(m.CONNACK)
    assert connack.raw == bytes([0x20, 0x02, 0x00, 0x01])
    client.wait_closed(CLOSE_TIMEOUT)


@pytest.mark.parametrize("name", ["MQTX", "mqtt", "MQTT\x00"])
def test_wrong_protocol_name_is_not_accepted(raw, uid, name):
    client = raw()
    client.send(m.connect(uid, protocol_name=name))
    seen = client.wait_closed(CLOSE_TIMEOUT)
    assert all(p.type == m.CONNACK and p.return_code != 0 for p in seen), [str(p) for p in seen]


def test_empty_client_id_without_clean_session_gets_0x02_and_close(raw):
    client = raw()
    client.send(m.connect("", clean=False))
    connack = client.expect(m.CONNACK)
    assert connack.raw == bytes([0x20, 0x02, 0x00, 0x02])
    client.wait_closed(CLOSE_TIMEOUT)


def test_empty_client_id_with_clean_session_gets_an_assigned_id(raw, uid):
    first, second = raw(), raw()
    assert first.connect("").raw == bytes([0x20, 0x02, 0x00, 0x00])
    assert second.connect("").raw == bytes([0x20, 0x02, 0x00, 0x00])
    # Both work side by side: neither took the other over, and each can subscribe and receive.
    assert first.subscribe([(f"{uid}/a", 1)]) == [1]
    assert second.subscribe([(f"{uid}/b", 1)]) == [1]
    second.publish_qos1(f"{uid}/a", b"to first")
    first.publish_qos1(f"{uid}/b", b"to second")
    assert first.next_publish().payload == b"to first"
    assert second.next_publish().payload == b"to second"


def test_client_id_of_23_alphanumerics_is_accepted(raw):
    client_id = uuid.uuid4().hex[:23]
    assert raw().connect(client_id).return_code == 0


def test_username_and_password_are_accepted_on_the_plain_listener(raw, uid):
    client = raw()
    assert client.connect(uid, username="device", password=b"secret").return_code == 0
    assert client.ping().raw == bytes([0xD0, 0x00])


def test_session_present_is_0_for_a_new_persistent_session(raw, uid):
    client = raw()
    assert client.connect(uid, clean=False).raw == bytes([0x20, 0x02, 0x00, 0x00])


def test_session_present_is_1_when_resuming_a_persistent_session(raw, uid):
    first = raw()
    first.connect_ok(uid, clean=False)
    first.subscribe([(f"{uid}/t", 1)])
    first.send(m.disconnect())
    first.wait_closed(CLOSE_TIMEOUT)
    again = raw()
    assert again.connect(uid, clean=False).raw == bytes([0x20, 0x02, 0x01, 0x00])


def test_clean_session_discards_the_stored_session(raw, uid):
    first = raw()
    first.connect_ok(uid, clean=False)
    first.subscribe([(f"{uid}/t", 1)])
    first.send(m.disconnect())
    first.wait_closed(CLOSE_TIMEOUT)
    clean = raw()
    assert clean.connect(uid, clean=True).session_present is False
    clean.send(m.disconnect())
    clean.wait_closed(CLOSE_TIMEOUT)
    # The clean session ended with its connection; nothing is left to resume.
    assert raw().connect(uid, clean=False).session_present is False


def test_pingreq_gets_pingresp(raw, uid):
    client = raw()
    client.connect_ok(uid)
    for _ in range(3):
        assert client.ping().raw == bytes([0xD0, 0x00])


def test_disconnect_makes_the_server_close_the_connection(raw, uid):
    client = raw()
    client.connect_ok(uid)
    client.send(m.disconnect())
    assert client.wait_closed(CLOSE_TIMEOUT) == []


@pytest.mark.parametrize(
    "first_packet",
    [
        pytest.param(m.publish("a/b", b"x"), id="publish"),
        pytest.param(m.subscribe(1, [("a/b", 0)]), id="subscribe"),
        pytest.param(m.pingreq(), id="pingreq"),
        pytest.param(m.disconnect(), id="disconnect"),
        pytest.param(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", id="http"),
    ],
)
def test_first_packet_not_connect_closes_the_connection(raw, first_packet):
    client = raw()
    client.send_quietly(first_packet)
    seen = client.wait_closed(CLOSE_TIMEOUT)
    assert seen == [], [str(p) for p in seen]


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"flags": 0x03}, id="reserved-flag-bit-set"),
        pytest.param({"flags": 0x1E}, id="will-qos-3"),
        pytest.param({"flags": 0x0A}, id="will-qos-without-will-flag"),
        pytest.param({"flags": 0x22}, id="will-retain-without-will-flag"),
        pytest.param({"password": b"pw"}, id="password-without-username"),
        pytest.param({"first_byte": 0x11}, id="fixed-header-flags-not-zero"),
        pytest.param({"will": m.Will("a/+", b"x")}, id="wildcard-in-will-topic"),
    ],
)
def test_malformed_connect_closes_without_connack_0(raw, uid, kwargs):
    client = raw()
    client.send_quietly(m.connect(uid, **kwargs))
    seen = client.wait_closed(CLOSE_TIMEOUT)
    assert all(p.type == m.CONNACK and p.return_code != 0 for p in seen), [str(p) for p in seen]


@pytest.mark.parametrize(
    "client_id", [b"\xff\xfe", b"id\x00nul", b"\xed\xa0\x80"], ids=["invalid-utf8", "nul", "surrogate"]
)
def test_invalid_client_id_is_refused(raw, client_id):
    client = raw()
    client.send_quietly(m.connect(client_id))
    seen = client.wait_closed(CLOSE_TIMEOUT)
    # Closing at once, or CONNACK 0x02 (identifier rejected) and then closing, are both right.
    assert all(p.type == m.CONNACK and p.return_code == 0x02 for p in seen), [str(p) for p in seen]
