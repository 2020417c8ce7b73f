"""Routing by credential scope, request validation from botocore's model, and AWS's error
shapes for rest-json and query services."""

from __future__ import annotations

import uuid

import pytest

from apiserver import ApiServer, require_operation


def test_an_unknown_path_is_unknown_operation(api: ApiServer) -> None:
    response = api.request("GET", "/no-such-resource/at-all")
    assert response.status == 404
    assert response.error_type == "UnknownOperationException"


def test_the_service_comes_from_the_credential_scope(api: ApiServer) -> None:
    # The same path, signed for sns, is a query request without an Action.
    response = api.request("GET", "/endpoint", service="sns")
    assert response.status == 400
    assert "<Code>MissingAction</Code>" in response.text


@pytest.mark.parametrize(
    ("service", "namespace"),
    [("sns", "http://sns.amazonaws.com/doc/2010-03-31/"), ("iam", "https://iam.amazonaws.com/doc/2010-05-08/")],
)
def test_an_unknown_action_is_invalid_action(api: ApiServer, service: str, namespace: str) -> None:
    version = "2010-03-31" if service == "sns" else "2010-05-08"
    response = api.request(
        "POST", "/", body=f"Action=LaunchRocket&Version={version}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, service=service,
    )
    assert response.status == 400
    assert response.text.startswith(f'<ErrorResponse xmlns="{namespace}">')
    assert "<Code>InvalidAction</Code>" in response.text
    assert "<RequestId>" in response.text


def test_a_name_breaking_the_model_pattern_is_invalid_request(api: ApiServer) -> None:
    iot = api.client("iot")
    with pytest.raises(iot.exceptions.InvalidRequestException) as raised:
        iot.describe_thing(thingName="not a valid name")
    assert raised.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'not a valid name' at 'thingName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+"
    )


def test_an_out_of_range_number_is_invalid_request(api: ApiServer) -> None:
    iot = api.client("iot")
    with pytest.raises(iot.exceptions.InvalidRequestException) as raised:
        iot.list_things(maxResults=251)
    assert "Member must have value less than or equal to 250" in raised.value.response["Error"]["Message"]


def test_an_unknown_thing_is_resource_not_found(api: ApiServer) -> None:
    iot = api.client("iot")
    with pytest.raises(iot.exceptions.ResourceNotFoundException) as raised:
        require_operation(lambda: iot.describe_thing(thingName=f"missing-{uuid.uuid4().hex}"))
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_thing_name_with_a_colon_round_trips(api: ApiServer) -> None:
    iot = api.client("iot")
    name = f"room:{uuid.uuid4().hex[:8]}"
    require_operation(lambda: iot.create_thing(thingName=name, attributePayload={"attributes": {"floor": "2"}}))
    described = iot.describe_thing(thingName=name)
    assert described["thingName"] == name
    assert described["attributes"] == {"floor": "2"}
    assert described["thingArn"].endswith(f":thing/{name}")


def test_a_missing_sns_topic_is_not_found(api: ApiServer) -> None:
    sns = api.client("sns")
    with pytest.raises(sns.exceptions.NotFoundException) as raised:
        require_operation(
            lambda: sns.get_topic_attributes(TopicArn=f"arn:aws:sns:us-east-1:000000000000:missing-{uuid.uuid4().hex}")
        )
    assert raised.value.response["Error"]["Code"] == "NotFound"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_missing_iam_role_is_no_such_entity(api: ApiServer) -> None:
    iam = api.client("iam")
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        require_operation(lambda: iam.get_role(RoleName=f"missing-{uuid.uuid4().hex[:16]}"))


def test_an_invalid_iam_role_name_is_a_validation_error(api: ApiServer) -> None:
    iam = api.client("iam")
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as raised:
        iam.get_role(RoleName="bad/name")
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert "at 'roleName'" in raised.value.response["Error"]["Message"]
