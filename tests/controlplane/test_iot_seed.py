"""The iot calls of the seed's ``create_infra.py``, verbatim, with only ``AWS_ENDPOINT_URL`` set;
then what the seed's device needs from them: a certificate that chains to ``AmazonRootCA1.pem``
with the private key it was given, and the ATS data endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from apiserver import ApiServer
from iotcerts import openssl, verify


@pytest.fixture
def seed_dir(api: ApiServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding the seed's ``secret.key`` (the data directory's, or one
    written from the external server's keys), with ``AWS_ENDPOINT_URL`` pointing at Thingport."""
    secret = tmp_path / "secret.key"
    if api.data_dir is not None:
        secret.write_text((api.data_dir / "secret.key").read_text())
    else:
        secret.write_text(json.dumps({"AWS_ACCESS_KEY_ID": api.access_key_id,
                                      "AWS_SECRET_ACCESS_KEY": api.secret_access_key, "REGION_NAME": "us-east-1"}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AWS_ENDPOINT_URL", api.url)
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    return tmp_path


def test_create_infra_iot_calls(api: ApiServer, seed_dir: Path) -> None:
    # --- from the seed, unchanged ---
    AWS_ACCESS_KEY_ID = ''
    AWS_SECRET_ACCESS_KEY = ''
    REGION_NAME = ''
    with open('./secret.key') as json_file:
        data = json.load(json_file)
        AWS_ACCESS_KEY_ID = data['AWS_ACCESS_KEY_ID']
        AWS_SECRET_ACCESS_KEY = data['AWS_SECRET_ACCESS_KEY']
        REGION_NAME = data['REGION_NAME']

    iot_client = boto3.client('iot',
        aws_access_key_id=AWS_ACCESS_KEY_ID,
        aws_secret_access_key=AWS_SECRET_ACCESS_KEY,
        region_name=REGION_NAME)

    THING_NAME = 'test-thing-1'
    response = iot_client.create_thing(
        thingName = THING_NAME
    )

    # create key and certificate, which will be used for authentication
    cert_response = iot_client.create_keys_and_certificate(
        setAsActive = True
    )
    public_pem_key = ""
    private_pem_key = ""
    certificate_pem_crt = ""
    certificateArn = ""
    data = json.loads(json.dumps(cert_response, sort_keys=False, indent=4))
    for element in data:
        if element == 'certificateArn':
            certificateArn = data['certificateArn']
        elif element == 'keyPair':
            public_pem_key = data['keyPair']['PublicKey']
            private_pem_key = data['keyPair']['PrivateKey']
        elif element == 'certificatePem':
            certificate_pem_crt = data['certificatePem']

    with open('public.pem.key', 'w') as outfile:
        outfile.write(public_pem_key)
    with open('private.pem.key', 'w') as outfile:
        outfile.write(private_pem_key)
    with open('certificate.pem.crt', 'w') as outfile:
        outfile.write(certificate_pem_crt)

    POLICY_NAME = 'test-policy-1'
    POLICY_DOCUMENT = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iot:*",
                "Resource": "*"
            }
        ]
    }

    policy_doc = json.dumps(POLICY_DOCUMENT)
    response = iot_client.create_policy(
        policyName = POLICY_NAME,
        policyDocument = policy_doc
    )

    response = iot_client.attach_policy(
        policyName = POLICY_NAME,
        target = certificateArn
    )

    response = iot_client.attach_thing_principal(
        thingName = THING_NAME,
        principal = certificateArn
    )

    # The seed takes these from its SNS and IAM calls (other suites); its TOPIC_NAME is the
    # device's topic.
    TOPIC_NAME = "test-iot-topic-1"
    account = certificateArn.split(":")[4]
    topic_arn = f"arn:aws:sns:{REGION_NAME}:{account}:iot-notification"
    roleArn = f"arn:aws:iam::{account}:role/service-role/test-iot-role-1"

    # create rule
    sql_str = "SELECT * FROM \'" + TOPIC_NAME + "\'"
    # print(sql_str)
    response = iot_client.create_topic_rule(
        ruleName='iotrule2',
        topicRulePayload={
            'awsIotSqlVersion': '2016-03-23',
            'sql': sql_str,
            'description': 'test',
            'actions': [{
                'sns': {
                        'targetArn': topic_arn,
                        'roleArn': roleArn,
                        'messageFormat': 'RAW'
                    }
            }],
            'ruleDisabled': False
        }
    )

    response = iot_client.describe_endpoint(
        endpointType='iot:Data-ATS'
    )
    print(response['endpointAddress'])
    # --- end of the seed ---

    try:
        assert response['endpointAddress'] == api.public_host
        assert certificateArn.startswith(f"arn:aws:iot:{REGION_NAME}:")
        certificate_id = certificateArn.rsplit("/", 1)[1]
        assert iot_client.describe_certificate(certificateId=certificate_id)["certificateDescription"]["status"] == "ACTIVE"
        assert iot_client.list_thing_principals(thingName=THING_NAME)["principals"] == [certificateArn]
        assert [p["policyName"] for p in iot_client.list_attached_policies(target=certificateArn)["policies"]] == [POLICY_NAME]
        rule = iot_client.get_topic_rule(ruleName='iotrule2')["rule"]
        assert rule["sql"] == sql_str and rule["actions"][0]["sns"]["messageFormat"] == "RAW"
        topics = [r["ruleName"] for r in iot_client.list_topic_rules(topic=TOPIC_NAME)["rules"]]
        assert topics == ["iotrule2"]

        # The files the seed's device reads: a certificate chaining to AmazonRootCA1.pem, the
        # RSA-2048 private key that belongs to it, and its public key.
        if api.data_dir is not None:
            root = api.data_dir / "AmazonRootCA1.pem"
            result = verify(root, certificate_pem_crt, seed_dir)
            assert result.returncode == 0 and ": OK" in result.stdout, result.stdout + result.stderr
        key_text = openssl("rsa", "-in", "private.pem.key", "-noout", "-text")
        assert "Private-Key: (2048 bit" in key_text
        modulus = openssl("x509", "-in", "certificate.pem.crt", "-noout", "-modulus")
        assert openssl("rsa", "-in", "private.pem.key", "-noout", "-modulus") == modulus
        assert openssl("rsa", "-pubin", "-in", "public.pem.key", "-noout", "-modulus") == modulus
        issuer = openssl("x509", "-in", "certificate.pem.crt", "-noout", "-subject")
        assert "AWS IoT Certificate" in issuer
    finally:
        # Leave the account as the seed found it, so the test can run again on the same server.
        iot_client.delete_topic_rule(ruleName='iotrule2')
        iot_client.detach_thing_principal(thingName=THING_NAME, principal=certificateArn)
        iot_client.detach_policy(policyName=POLICY_NAME, target=certificateArn)
        iot_client.delete_policy(policyName=POLICY_NAME)
        iot_client.update_certificate(certificateId=certificateArn.rsplit("/", 1)[1], newStatus="INACTIVE")
        iot_client.delete_certificate(certificateId=certificateArn.rsplit("/", 1)[1])
        iot_client.delete_thing(thingName=THING_NAME)


def test_issued_certificates_chain_to_the_served_root(api: ApiServer, tmp_path: Path) -> None:
    """A certificate from CreateKeysAndCertificate verifies against the root that
    ``GET /ca/root.pem`` serves, which is the data directory's AmazonRootCA1.pem."""
    iot = api.client("iot")
    created = iot.create_keys_and_certificate(setAsActive=False)
    served = api.request("GET", "/ca/root.pem", service=None)
    assert served.status == 200
    root = tmp_path / "root.pem"
    root.write_bytes(served.body)
    if api.data_dir is not None:
        assert (api.data_dir / "AmazonRootCA1.pem").read_bytes() == served.body
    result = verify(root, created["certificatePem"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    iot.delete_certificate(certificateId=created["certificateId"])
