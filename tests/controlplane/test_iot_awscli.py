"""A handful of iot operations through awscli, as a shell user would provision a device."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from apiserver import ApiServer
from iotcerts import unique, verify


@pytest.fixture
def aws(api: ApiServer):
    environment = dict(os.environ, AWS_ACCESS_KEY_ID=api.access_key_id, AWS_SECRET_ACCESS_KEY=api.secret_access_key,
                       AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null",
                       AWS_SHARED_CREDENTIALS_FILE="/dev/null")

    def run(*arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(["aws", "iot", *arguments, "--endpoint-url", api.url, "--output", "json"],
                                capture_output=True, text=True, env=environment, timeout=120)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return run


def output(result: subprocess.CompletedProcess) -> dict:
    return json.loads(result.stdout) if result.stdout.strip() else {}


def test_provision_a_device_with_awscli(api: ApiServer, aws, tmp_path: Path) -> None:
    thing, policy, rule = unique("cli-thing"), unique("cli-policy"), unique("cli_rule", "")
    created = output(aws("create-thing", "--thing-name", thing, "--attribute-payload", '{"attributes":{"room":"7"}}'))
    assert created["thingName"] == thing
    described = output(aws("describe-thing", "--thing-name", thing))
    assert described["attributes"] == {"room": "7"} and described["version"] == 1
    assert thing in [t["thingName"] for t in output(aws("list-things", "--attribute-name", "room",
                                                        "--attribute-value", "7"))["things"]]

    keys = output(aws("create-keys-and-certificate", "--set-as-active",
                      "--certificate-pem-outfile", str(tmp_path / "cert.pem"),
                      "--private-key-outfile", str(tmp_path / "private.key")))
    assert (tmp_path / "cert.pem").read_text() == keys["certificatePem"]
    assert (tmp_path / "private.key").read_text().startswith("-----BEGIN RSA PRIVATE KEY-----")
    if api.data_dir is not None:
        assert verify(api.data_dir / "AmazonRootCA1.pem", keys["certificatePem"], tmp_path).returncode == 0

    document = tmp_path / "policy.json"
    document.write_text(json.dumps({"Version": "2012-10-17",
                                    "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}))
    assert output(aws("create-policy", "--policy-name", policy, "--policy-document", f"file://{document}"))[
        "policyVersionId"] == "1"
    aws("attach-policy", "--policy-name", policy, "--target", keys["certificateArn"])
    aws("attach-thing-principal", "--thing-name", thing, "--principal", keys["certificateArn"])
    assert output(aws("list-thing-principals", "--thing-name", thing))["principals"] == [keys["certificateArn"]]

    rule_payload = tmp_path / "rule.json"
    rule_payload.write_text(json.dumps({"sql": "SELECT * FROM 'cli/topic'", "awsIotSqlVersion": "2016-03-23",
                                        "actions": [{"republish": {"topic": "out", "roleArn": "arn:aws:iam::123456789012:role/r"}}]}))
    aws("create-topic-rule", "--rule-name", rule, "--topic-rule-payload", f"file://{rule_payload}")
    assert output(aws("get-topic-rule", "--rule-name", rule))["rule"]["sql"] == "SELECT * FROM 'cli/topic'"
    assert output(aws("describe-endpoint", "--endpoint-type", "iot:Data-ATS"))["endpointAddress"] == api.public_host

    missing = aws("describe-thing", "--thing-name", unique("ghost"), check=False)
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr
    malformed = aws("create-policy", "--policy-name", unique("bad"), "--policy-document", "{}", check=False)
    assert malformed.returncode != 0 and "MalformedPolicyException" in malformed.stderr

    aws("delete-topic-rule", "--rule-name", rule)
    aws("detach-thing-principal", "--thing-name", thing, "--principal", keys["certificateArn"])
    aws("detach-policy", "--policy-name", policy, "--target", keys["certificateArn"])
    aws("update-certificate", "--certificate-id", keys["certificateId"], "--new-status", "INACTIVE")
    aws("delete-certificate", "--certificate-id", keys["certificateId"])
    aws("delete-policy", "--policy-name", policy)
    aws("delete-thing", "--thing-name", thing)
