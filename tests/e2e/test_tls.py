"""The mutual-TLS listener: server certificate, client certificates made with openssl."""

from __future__ import annotations

import ipaddress
import socket
import ssl

import pytest

import rawmqtt as m
from certs import make_client_cert
from clients import assert_refused, tls_context


def test_device_certificate_signed_by_the_root_ca_connects_over_mutual_tls(broker, device_cert, uid):
    with m.RawClient(
        broker.host,
        broker.tls_port,
        ssl_context=tls_context(broker.ca.cert, device_cert),
        server_hostname="localhost",
    ) as client:
        assert client.connect(uid).raw == bytes([0x20, 0x02, 0x00, 0x00])
        assert client.subscribe([(f"{uid}/t", 1)]) == [1]
        client.publish_qos1(f"{uid}/t", b"over tls")
        assert client.next_publish().payload == b"over tls"


def test_a_registered_certificate_issued_by_the_root_ca_is_accepted(broker, tmp_path, uid):
    fresh = make_client_cert(tmp_path, "another-device", broker.ca)
    broker.register_device(fresh)
    with m.RawClient(
        broker.host,
        broker.tls_port,
        ssl_context=tls_context(broker.ca.cert, fresh),
        server_hostname="localhost",
    ) as client:
        assert client.connect(uid).return_code == 0


@pytest.mark.thingport_only(reason="a device is its registered certificate (AWS IoT); mosquitto trusts its CA")
def test_an_unregistered_certificate_issued_by_the_root_ca_is_refused(broker, paho, tmp_path, uid):
    unknown = make_client_cert(tmp_path, "unregistered-device", broker.ca)
    assert_refused(broker, unknown, uid)
    paho(f"{uid}-after").publish(f"{uid}/t", b"broker still fine", qos=1)


def test_paho_over_mutual_tls_exchanges_messages_with_a_plain_client(paho, device_cert, uid):
    secure = paho(f"{uid}-tls", tls=device_cert)
    plain = paho(f"{uid}-plain")
    secure.subscribe(f"{uid}/from-plain", 1)
    plain.subscribe(f"{uid}/from-tls", 1)
    plain.publish(f"{uid}/from-plain", b"hello tls", qos=1)
    secure.publish(f"{uid}/from-tls", b"hello plain", qos=1)
    assert secure.expect().payload == b"hello tls"
    assert plain.expect().payload == b"hello plain"


def test_server_certificate_chains_to_the_root_and_names_localhost_and_loopback(broker, device_cert):
    for server_name in ("localhost", "127.0.0.1"):
        context = tls_context(broker.ca.cert, device_cert)  # verifies chain and name
        with (
            socket.create_connection((broker.host, broker.tls_port), timeout=10) as sock,
            context.wrap_socket(sock, server_hostname=server_name) as tls,
        ):
            names = tls.getpeercert()["subjectAltName"]
    dns = {value for kind, value in names if kind == "DNS"}
    ips = {ipaddress.ip_address(value.strip()) for kind, value in names if kind == "IP Address"}
    assert "localhost" in dns
    assert {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")} <= ips


def test_connection_without_a_client_certificate_is_refused(broker, paho, uid):
    assert_refused(broker, None, uid)
    paho(f"{uid}-after").publish(f"{uid}/t", b"broker still fine", qos=1)


def test_certificate_from_a_foreign_ca_is_refused(broker, paho, foreign_cert, uid):
    assert_refused(broker, foreign_cert, uid)
    paho(f"{uid}-after").publish(f"{uid}/t", b"broker still fine", qos=1)


def test_self_signed_client_certificate_is_refused(broker, paho, self_signed_cert, uid):
    assert_refused(broker, self_signed_cert, uid)
    paho(f"{uid}-after").publish(f"{uid}/t", b"broker still fine", qos=1)


def test_plain_mqtt_on_the_tls_port_is_refused(broker, uid):
    with m.RawClient(broker.host, broker.tls_port) as client:
        client.send_quietly(m.connect(uid))
        try:
            packets = client.wait_closed(10)
        except (ConnectionError, ValueError):  # reset, or TLS alert bytes that are no MQTT at all
            return
        assert all(p.type != m.CONNACK for p in packets)
