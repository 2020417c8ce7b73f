"""`thingport serve`: readiness, the data directory, clean shutdown on SIGTERM and SIGINT."""

from __future__ import annotations

import signal
import ssl
import stat
import subprocess

import pytest

import rawmqtt as m
from brokers import STOP_TIMEOUT, port_accepts
from certs import make_client_cert


def openssl(*args: str) -> str:
    return subprocess.run(["openssl", *args], capture_output=True, text=True, check=True, timeout=60).stdout


def tls_connect_ok(broker, device, client_id: str) -> None:
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(broker.ca.cert))
    context.load_cert_chain(str(device.cert), str(device.key))
    with m.RawClient(
        broker.host, broker.tls_port, ssl_context=context, server_hostname="localhost"
    ) as client:
        assert client.connect(client_id).return_code == 0


@pytest.mark.thingport_only(reason="the ready line is Thingport's start-up contract")
def test_ready_line_is_printed_when_every_listener_accepts(make_broker, tmp_path, uid):
    broker = make_broker()
    assert broker.stdout_lines.count("thingport ready") == 1
    # The fixture returned as soon as the line appeared: both listeners must already work.
    with m.RawClient(broker.host, broker.plain_port) as plain:
        assert plain.connect(uid).return_code == 0
    device = make_client_cert(tmp_path, "dev", broker.ca)
    broker.register_device(device)
    tls_connect_ok(broker, device, f"{uid}-tls")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_shuts_the_broker_down_cleanly(make_broker, paho, raw, uid, sig):
    broker = make_broker()
    busy = paho(f"{uid}-paho", on=broker)
    busy.subscribe(f"{uid}/t", 1)
    persistent = raw(on=broker)
    persistent.connect_ok(f"{uid}-raw", clean=False)
    persistent.subscribe([(f"{uid}/t", 2)])
    assert broker.stop(sig, timeout=STOP_TIMEOUT) == 0, (
        f"exit code after {sig.name}\n{broker.log_text()[-3000:]}"
    )
    assert not port_accepts(broker.plain_port)
    assert not port_accepts(broker.tls_port)
    persistent.wait_closed(5)


@pytest.mark.thingport_only(reason="the data directory layout is Thingport's")
def test_data_dir_holds_the_root_ca_its_private_key_and_amazon_root_ca1(make_broker):
    broker = make_broker()
    root_pem = (broker.data_dir / "ca" / "root-ca.pem").read_text()
    amazon_pem = (broker.data_dir / "AmazonRootCA1.pem").read_text()
    assert ssl.PEM_cert_to_DER_cert(amazon_pem) == ssl.PEM_cert_to_DER_cert(root_pem)

    key_path = broker.data_dir / "ca" / "root-ca.key"
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert key_path.read_text().startswith("-----BEGIN ")
    # The key is the certificate's key, and the certificate is a CA.
    cert_public = openssl("x509", "-in", str(broker.data_dir / "ca" / "root-ca.pem"), "-noout", "-pubkey")
    key_public = openssl("pkey", "-in", str(key_path), "-pubout")
    assert cert_public == key_public
    text = openssl("x509", "-in", str(broker.data_dir / "ca" / "root-ca.pem"), "-noout", "-text")
    assert "CA:TRUE" in text


@pytest.mark.thingport_only(reason="the data directory layout is Thingport's")
def test_restart_on_the_same_data_dir_keeps_the_root_ca(make_broker, tmp_path, uid):
    first = make_broker()
    root = (first.data_dir / "ca" / "root-ca.pem").read_bytes()
    device = make_client_cert(tmp_path / "certs", "device", first.ca)
    first.register_device(device)
    assert first.stop() == 0
    second = make_broker(data_dir=first.data_dir)
    assert (second.data_dir / "ca" / "root-ca.pem").read_bytes() == root
    tls_connect_ok(second, device, uid)


def test_payloads_are_never_logged(broker, raw, paho, uid):
    marker = f"SECRET-PAYLOAD-{uid}"
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"{uid}/#", 2)
    publisher = paho(f"{uid}-pub")
    for qos in (0, 1, 2):
        publisher.publish(f"{uid}/q{qos}", f"{marker}-{qos}".encode(), qos=qos, retain=qos == 1)
    device = raw()
    device.connect_ok(f"{uid}-dev", will=m.Will(f"{uid}/will", f"{marker}-will".encode(), qos=1))
    device.send_quietly(m.publish("bad/#", marker.encode()))
    device.wait_closed(10)
    assert len(watcher.collect(4)) == 4
    assert marker not in broker.log_text()
