"""Fixtures of the HTTP API suite: boto3, awscli and raw signed requests against Thingport's
AWS-compatible API (the ControlPlane module) as ``thingport serve`` serves it.

By default each session starts ``thingport serve`` (binary from ``THINGPORT_BIN`` or
``.build/debug/thingport``) with a fresh data directory and reads the account's keys from
its ``secret.key``. Until ``thingport serve`` answers ``GET /health`` on ``--api-port``,
every test here is skipped with the reason.

To test a server that is already running instead, set ``THINGPORT_API_URL`` and
``THINGPORT_ACCESS_KEY_ID`` / ``THINGPORT_SECRET_ACCESS_KEY`` (plus ``THINGPORT_PUBLIC_HOST``
when it is not ``localhost``, and ``THINGPORT_ACCEPTS_ANY=1`` when it runs with
``--accept-any-credentials``); the tests that need their own server are then skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from apiserver import ApiServer, external_server, start_thingport


@pytest.fixture(scope="session")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The server under test: ``thingport serve --allow-reset`` (strict credentials)."""
    server = external_server() or start_thingport(tmp_path_factory.mktemp("api"), "--allow-reset")
    yield server
    server.stop()


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., ApiServer]]:
    """Starts a dedicated ``thingport serve`` with extra flags (stopped after the test)."""
    if os.environ.get("THINGPORT_API_URL"):
        pytest.skip("needs its own server; THINGPORT_API_URL points at an external one")
    started: list[ApiServer] = []

    def start(*flags: str) -> ApiServer:
        workdir = tmp_path / f"server{len(started)}"
        workdir.mkdir()
        server = start_thingport(workdir, *flags)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
