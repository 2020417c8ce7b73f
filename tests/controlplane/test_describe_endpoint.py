"""DescribeEndpoint: every endpoint type answers the first public host, as boto3 and awscli see it."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from apiserver import ApiServer


@pytest.mark.parametrize("endpoint_type", [None, "iot:Data", "iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs"])
def test_every_endpoint_type_answers_the_public_host(api: ApiServer, endpoint_type: str | None) -> None:
    iot = api.client("iot")
    response = iot.describe_endpoint(**({"endpointType": endpoint_type} if endpoint_type else {}))
    assert response["endpointAddress"] == api.public_host
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response["ResponseMetadata"]["RequestId"]


def test_an_unknown_endpoint_type_is_invalid_request(api: ApiServer) -> None:
    iot = api.client("iot")
    with pytest.raises(iot.exceptions.InvalidRequestException) as raised:
        iot.describe_endpoint(endpointType="iot:Nothing")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "iot:Nothing" in raised.value.response["Error"]["Message"]


def test_awscli_describe_endpoint(api: ApiServer) -> None:
    environment = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=api.access_key_id,
        AWS_SECRET_ACCESS_KEY=api.secret_access_key,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
    )
    result = subprocess.run(
        ["aws", "iot", "describe-endpoint", "--endpoint-type", "iot:Data-ATS", "--endpoint-url", api.url,
         "--output", "json"],
        capture_output=True, text=True, env=environment, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"endpointAddress": api.public_host}
