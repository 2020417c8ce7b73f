"""The Debian ``mosquitto_pub`` / ``mosquitto_sub`` clients, over plain TCP and mutual TLS."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest

from certs import KeyPair

TIMEOUT = 60


class Sub:
    """A ``mosquitto_sub`` process, started and waited for until its SUBACK."""

    def __init__(self, args: list[str], count: int) -> None:
        # stdbuf: mosquitto_sub's stdout is block-buffered on a pipe; we need its SUBACK line now.
        command = [
            "stdbuf",
            "-oL",
            "mosquitto_sub",
            "-V",
            "mqttv311",
            "-d",
            "-C",
            str(count),
            "-W",
            str(TIMEOUT),
            *args,
        ]
        command += ["-F", "MSG %r %q %t %p"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.debug: list[str] = []
        while True:
            line = self.process.stdout.readline()  # type: ignore[union-attr]
            if not line:
                raise AssertionError(
                    f"mosquitto_sub ended before SUBACK: {self.debug} {self.process.stderr.read()}"
                )  # type: ignore[union-attr]
            self.debug.append(line.rstrip())
            if "received SUBACK" in line:
                return

    def messages(self) -> list[tuple[int, int, str, str]]:
        """(retain, qos, topic, payload) of each message, once the process has ended."""
        # Read through the same buffered file as __init__ (communicate() would skip its buffer).
        out = self.process.stdout.read()  # type: ignore[union-attr]  # until mosquitto_sub exits
        self.process.wait(10)
        err = self.process.stderr.read()  # type: ignore[union-attr]
        lines = [line[4:] for line in out.splitlines() if line.startswith("MSG ")]
        assert self.process.returncode == 0, f"mosquitto_sub exit {self.process.returncode}: {err}\n{out}"
        result = []
        for line in lines:
            retain, qos, topic, payload = line.split(" ", 3)
            result.append((int(retain), int(qos), topic, payload))
        return result

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def pub(args: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["mosquitto_pub", "-V", "mqttv311", *args], capture_output=True, text=True, timeout=TIMEOUT
    )
    if check:
        assert result.returncode == 0, f"mosquitto_pub exit {result.returncode}: {result.stderr}"
    return result


def plain(broker) -> list[str]:
    return ["-h", broker.host, "-p", str(broker.plain_port)]


def mutual_tls(broker, cert: KeyPair | None, host: str = "localhost") -> list[str]:
    args = ["-h", host, "-p", str(broker.tls_port), "--cafile", str(broker.ca.cert)]
    if cert is not None:
        args += ["--cert", str(cert.cert), "--key", str(cert.key)]
    return args


@pytest.mark.parametrize("qos", [0, 1, 2])
def test_mosquitto_pub_reaches_a_paho_subscriber(broker, paho, uid, qos):
    subscriber = paho(f"{uid}-sub")
    subscriber.subscribe(f"{uid}/t", 2)
    pub([*plain(broker), "-i", f"{uid}-pub", "-t", f"{uid}/t", "-m", "from mosquitto_pub", "-q", str(qos)])
    message = subscriber.expect()
    assert (message.payload, message.qos) == (b"from mosquitto_pub", qos)


@pytest.mark.parametrize("qos", [0, 1, 2])
def test_mosquitto_sub_receives_from_paho(broker, paho, uid, qos):
    sub = Sub([*plain(broker), "-i", f"{uid}-sub", "-t", f"{uid}/+", "-q", "2"], count=3)
    try:
        publisher = paho(f"{uid}-pub")
        for i in range(3):
            publisher.publish(f"{uid}/t{i}", f"paho {i}", qos=qos)
        assert sub.messages() == [(0, qos, f"{uid}/t{i}", f"paho {i}") for i in range(3)]
    finally:
        sub.kill()


def test_mosquitto_sub_gets_a_retained_message_with_the_retain_flag(broker, uid):
    pub([*plain(broker), "-t", f"{uid}/state", "-m", "kept", "-q", "1", "-r"])
    sub = Sub([*plain(broker), "-t", f"{uid}/#", "-q", "1"], count=1)
    try:
        assert sub.messages() == [(1, 1, f"{uid}/state", "kept")]
    finally:
        sub.kill()


def test_killed_mosquitto_sub_fires_its_will(broker, paho, uid):
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"{uid}/will", 1)
    sub = Sub(
        [
            *plain(broker),
            "-t",
            f"{uid}/x",
            "--will-topic",
            f"{uid}/will",
            "--will-payload",
            "gone",
            "--will-qos",
            "1",
        ],
        count=1,
    )
    sub.process.send_signal(signal.SIGKILL)
    sub.process.wait(10)
    assert watcher.expect().payload == b"gone"


def test_mosquitto_clients_talk_over_mutual_tls(broker, device_cert, uid):
    sub = Sub([*mutual_tls(broker, device_cert), "-t", f"{uid}/secure", "-q", "1"], count=2)
    try:
        pub([*mutual_tls(broker, device_cert), "-t", f"{uid}/secure", "-m", "by name", "-q", "1"])
        pub(
            [
                *mutual_tls(broker, device_cert, "127.0.0.1"),
                "-t",
                f"{uid}/secure",
                "-m",
                "by address",
                "-q",
                "1",
            ]
        )
        assert sub.messages() == [(0, 1, f"{uid}/secure", "by name"), (0, 1, f"{uid}/secure", "by address")]
    finally:
        sub.kill()


@pytest.mark.parametrize("which", ["none", "foreign", "self-signed"])
def test_mosquitto_pub_without_a_trusted_client_certificate_is_refused(
    broker, paho, foreign_cert, self_signed_cert, uid, which
):
    cert = {"none": None, "foreign": foreign_cert, "self-signed": self_signed_cert}[which]
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"{uid}/t", 1)
    result = pub([*mutual_tls(broker, cert), "-t", f"{uid}/t", "-m", "sneaky", "-q", "1"], check=False)
    assert result.returncode != 0, "mosquitto_pub succeeded without a trusted certificate"
    time.sleep(0.5)
    assert watcher.drain(quiet=0.5) == []
