"""A restart of ``thingport serve`` on the same data directory keeps the whole registry, the
account's keys and the root CA: a certificate issued before the restart is still ACTIVE,
attached, and verifies against ``AmazonRootCA1.pem`` after it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from apiserver import start_thingport
from iotcerts import verify

ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}


@pytest.mark.skipif(bool(os.environ.get("THINGPORT_API_URL")), reason="restarts its own server")
def test_restart_keeps_the_registry_and_issued_certificates_still_verify(tmp_path: Path) -> None:
    workdir = tmp_path / "node"
    workdir.mkdir()
    first = start_thingport(workdir)
    try:
        iot = first.client("iot")
        iot.create_thing(thingName="persisted", attributePayload={"attributes": {"color": "blue"}})
        cert = iot.create_keys_and_certificate(setAsActive=True)
        iot.create_policy(policyName="restart-policy", policyDocument=json.dumps(ALLOW_ALL))
        iot.attach_policy(policyName="restart-policy", target=cert["certificateArn"])
        iot.attach_thing_principal(thingName="persisted", principal=cert["certificateArn"])
        root_before = (workdir / "data" / "AmazonRootCA1.pem").read_text()
        keys_before = (workdir / "data" / "secret.key").read_text()
    finally:
        first.stop()
    assert first.process is not None and first.process.returncode == 0

    second = start_thingport(workdir)
    try:
        assert (workdir / "data" / "secret.key").read_text() == keys_before
        assert (workdir / "data" / "AmazonRootCA1.pem").read_text() == root_before
        iot = second.client("iot")
        assert iot.describe_thing(thingName="persisted")["attributes"] == {"color": "blue"}
        description = iot.describe_certificate(certificateId=cert["certificateId"])["certificateDescription"]
        assert description["status"] == "ACTIVE"
        assert description["certificatePem"] == cert["certificatePem"]
        attached = iot.list_attached_policies(target=cert["certificateArn"])["policies"]
        assert [policy["policyName"] for policy in attached] == ["restart-policy"]
        assert iot.list_thing_principals(thingName="persisted")["principals"] == [cert["certificateArn"]]
        result = verify(workdir / "data" / "AmazonRootCA1.pem", cert["certificatePem"], tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        second.stop()
