"""The API port's unsigned routes: health, the root CA, and the reset switch for test suites."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from apiserver import ApiServer


def test_health_needs_no_signature(api: ApiServer) -> None:
    with urllib.request.urlopen(api.url + "/health", timeout=10) as response:
        assert response.status == 200


def test_the_root_ca_is_served(api: ApiServer) -> None:
    with urllib.request.urlopen(api.url + "/ca/root.pem", timeout=10) as response:
        pem = response.read().decode()
    assert pem.startswith("-----BEGIN CERTIFICATE-----")
    if api.data_dir is not None:
        assert pem == (api.data_dir / "AmazonRootCA1.pem").read_text()


def test_reset_answers_when_allowed(api: ApiServer) -> None:
    request = urllib.request.Request(api.url + "/_thingport/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


def test_reset_is_not_found_without_allow_reset(make_server) -> None:
    server = make_server()
    request = urllib.request.Request(server.url + "/_thingport/reset", method="POST")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=30)
    assert raised.value.code == 404
