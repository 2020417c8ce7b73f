"""Fixtures of the broker end-to-end suite.

``E2E_BROKER=thingport`` (default) tests ``thingport serve`` (binary from ``THINGPORT_BIN``
or ``.build/debug/thingport``); ``E2E_BROKER=mosquitto`` runs the portable tests against a
mosquitto started here, to check that the tests themselves are right. Tests marked
``thingport_only`` are skipped against mosquitto with their reason.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from brokers import Broker, BrokerOptions, broker_kind, start_broker
from certs import KeyPair, make_ca, make_client_cert, make_self_signed
from clients import PahoClient
from rawmqtt import RawClient


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "thingport_only(reason): the expected behaviour is Thingport's contract, not portable "
        "MQTT; skipped with E2E_BROKER=mosquitto",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"e2e broker: {broker_kind()}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if broker_kind() != "mosquitto":
        return
    for item in items:
        marker = item.get_closest_marker("thingport_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"Thingport only: {reason}"))


# --------------------------------------------------------------------------- brokers


@pytest.fixture(scope="session")
def shared_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """One broker with default settings for every test that does not need special flags."""
    broker = start_broker(tmp_path_factory.mktemp("shared-broker"))
    yield broker
    broker.stop()


@pytest.fixture
def broker(shared_broker: Broker) -> Iterator[Broker]:
    """The shared broker; each test also checks it is still alive afterwards."""
    assert shared_broker.is_running(), f"shared broker died earlier:\n{shared_broker.log_text()[-4000:]}"
    yield shared_broker
    assert shared_broker.is_running(), f"broker died during the test:\n{shared_broker.log_text()[-4000:]}"


@pytest.fixture
def make_broker(tmp_path: Path) -> Iterator[Callable[..., Broker]]:
    """Start a fresh broker with special flags (stopped after the test)."""
    started: list[Broker] = []
    counter = itertools.count()

    def start(data_dir: Path | None = None, **options: int) -> Broker:
        broker = start_broker(tmp_path / f"broker{next(counter)}", BrokerOptions(**options), data_dir)
        started.append(broker)
        return broker

    yield start
    for broker in started:
        broker.stop()


# --------------------------------------------------------------------------- names


@pytest.fixture
def uid(request: pytest.FixtureRequest) -> str:
    """A short unique string for client ids and topics of one test."""
    stem = re.sub(r"[^A-Za-z0-9_]", "_", request.node.name)[:24]
    return f"{stem}-{uuid.uuid4().hex[:8]}"


# --------------------------------------------------------------------------- clients


@pytest.fixture
def paho(broker: Broker) -> Iterator[Callable[..., PahoClient]]:
    """Factory of connected paho clients on the shared broker (closed after the test)."""
    made: list[PahoClient] = []

    def make(
        client_id: str, *, on: Broker | None = None, connect: bool = True, **kwargs: object
    ) -> PahoClient:
        client = PahoClient(on or broker, client_id, **kwargs)  # type: ignore[arg-type]
        made.append(client)
        return client.connect() if connect else client

    yield make
    for client in made:
        try:
            client.disconnect()
        except Exception:  # noqa: BLE001 - best effort cleanup
            pass


@pytest.fixture
def raw(broker: Broker) -> Iterator[Callable[..., RawClient]]:
    """Factory of raw socket clients on the shared broker's plain port (closed after the test)."""
    made: list[RawClient] = []

    def make(*, on: Broker | None = None, **kwargs: object) -> RawClient:
        target = on or broker
        client = RawClient(target.host, target.plain_port, **kwargs)  # type: ignore[arg-type]
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


# --------------------------------------------------------------------------- certificates


@pytest.fixture(scope="session")
def device_cert(shared_broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> KeyPair:
    """A device certificate signed by the shared broker's root CA (openssl: key, CSR, sign),
    registered ACTIVE with a policy that allows everything."""
    device = make_client_cert(tmp_path_factory.mktemp("device"), "device", shared_broker.ca)
    shared_broker.register_device(device)
    return device


@pytest.fixture(scope="session")
def foreign_cert(tmp_path_factory: pytest.TempPathFactory) -> KeyPair:
    """A device certificate signed by a CA the broker does not know."""
    directory = tmp_path_factory.mktemp("foreign")
    return make_client_cert(directory, "foreign-device", make_ca(directory, "Foreign CA"))


@pytest.fixture(scope="session")
def self_signed_cert(tmp_path_factory: pytest.TempPathFactory) -> KeyPair:
    return make_self_signed(tmp_path_factory.mktemp("selfsigned"), "self-signed-device")
