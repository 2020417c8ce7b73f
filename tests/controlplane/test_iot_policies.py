"""IoT policies, versions, attachments (current and legacy operations), effective policies and
thing principals through boto3, with their errors and paginators."""

from __future__ import annotations

import json

import pytest

from apiserver import ApiServer
from iotcerts import unique


def document(action: str) -> str:
    return json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})


@pytest.fixture
def iot(api: ApiServer):
    return api.client("iot")


@pytest.fixture
def certificate(iot):
    created = iot.create_keys_and_certificate(setAsActive=True)
    yield created["certificateArn"]
    iot.update_certificate(certificateId=created["certificateId"], newStatus="INACTIVE")
    iot.delete_certificate(certificateId=created["certificateId"], forceDelete=True)


@pytest.mark.parametrize("bad", [
    "not json", "{}", '{"Version":"2012-10-17","Statement":[]}',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"iot:*","Resource":"*"}]}',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:*"}]}',
    '{"Version":"2099-01-01","Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"}]}',
])
def test_malformed_policy_documents(iot, bad: str) -> None:
    name = unique("bad")
    with pytest.raises(iot.exceptions.MalformedPolicyException) as raised:
        iot.create_policy(policyName=name, policyDocument=bad)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert raised.value.response["Error"]["Message"]
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.get_policy(policyName=name)


def test_policy_lifecycle_and_paginator(iot) -> None:
    prefix = unique("pol")
    names = [f"{prefix}-{i}" for i in range(5)]
    for name in names:
        created = iot.create_policy(policyName=name, policyDocument=document("iot:Connect"),
                                    tags=[{"Key": "suite", "Value": "iot"}])
        assert created["policyVersionId"] == "1"
        assert created["policyArn"].endswith(f":policy/{name}")
    with pytest.raises(iot.exceptions.ResourceAlreadyExistsException):
        iot.create_policy(policyName=names[0], policyDocument=document("iot:Connect"))
    policy = iot.get_policy(policyName=names[0])
    assert policy["policyDocument"] == document("iot:Connect")
    assert policy["defaultVersionId"] == "1"
    assert {"creationDate", "lastModifiedDate", "generationId"} <= set(policy)
    listed = [p["policyName"] for page in iot.get_paginator("list_policies").paginate(PaginationConfig={"PageSize": 2})
              for p in page["policies"]]
    assert [n for n in listed if n.startswith(prefix)] == names
    assert iot.list_tags_for_resource(resourceArn=policy["policyArn"])["tags"] == [{"Key": "suite", "Value": "iot"}]
    for name in names:
        iot.delete_policy(policyName=name)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.delete_policy(policyName=names[0])


def test_policy_versions(iot) -> None:
    name = unique("versioned")
    iot.create_policy(policyName=name, policyDocument=document("iot:Connect"))
    second = iot.create_policy_version(policyName=name, policyDocument=document("iot:Publish"), setAsDefault=True)
    assert second["policyVersionId"] == "2" and second["isDefaultVersion"] is True
    assert iot.get_policy(policyName=name)["policyDocument"] == document("iot:Publish")
    for action in ("iot:Subscribe", "iot:Receive", "iot:UpdateThingShadow"):
        assert iot.create_policy_version(policyName=name, policyDocument=document(action))["isDefaultVersion"] is False
    with pytest.raises(iot.exceptions.VersionsLimitExceededException) as limit:
        iot.create_policy_version(policyName=name, policyDocument=document("iot:*"))
    assert limit.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(iot.exceptions.MalformedPolicyException):
        iot.create_policy_version(policyName=name, policyDocument="{")
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.create_policy_version(policyName=unique("ghost"), policyDocument=document("iot:*"))

    versions = iot.list_policy_versions(policyName=name)["policyVersions"]
    assert [v["versionId"] for v in versions] == ["5", "4", "3", "2", "1"]
    assert [v["isDefaultVersion"] for v in versions] == [False, False, False, True, False]
    third = iot.get_policy_version(policyName=name, policyVersionId="3")
    assert third["policyDocument"] == document("iot:Subscribe") and third["isDefaultVersion"] is False
    assert third["policyName"] == name and "generationId" in third
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.get_policy_version(policyName=name, policyVersionId="42")

    iot.set_default_policy_version(policyName=name, policyVersionId="3")
    assert iot.get_policy(policyName=name)["defaultVersionId"] == "3"
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.set_default_policy_version(policyName=name, policyVersionId="42")
    with pytest.raises(iot.exceptions.DeleteConflictException):
        iot.delete_policy_version(policyName=name, policyVersionId="3")
    with pytest.raises(iot.exceptions.DeleteConflictException):
        iot.delete_policy(policyName=name)  # it has versions besides the default
    for version in ("1", "2", "4", "5"):
        iot.delete_policy_version(policyName=name, policyVersionId=version)
    assert [v["versionId"] for v in iot.list_policy_versions(policyName=name)["policyVersions"]] == ["3"]
    iot.delete_policy(policyName=name)


def test_attachments_targets_and_effective_policies(iot, certificate: str) -> None:
    direct, inherited = unique("direct"), unique("inherited")
    parent, child, thing = unique("parent"), unique("child"), unique("device")
    iot.create_policy(policyName=direct, policyDocument=document("iot:Connect"))
    iot.create_policy(policyName=inherited, policyDocument=document("iot:Publish"))
    parent_arn = iot.create_thing_group(thingGroupName=parent)["thingGroupArn"]
    child_arn = iot.create_thing_group(thingGroupName=child, parentGroupName=parent)["thingGroupArn"]
    iot.create_thing(thingName=thing)
    iot.add_thing_to_thing_group(thingGroupName=child, thingName=thing)
    iot.attach_thing_principal(thingName=thing, principal=certificate)

    iot.attach_policy(policyName=direct, target=certificate)
    iot.attach_policy(policyName=direct, target=certificate)  # attaching twice is fine
    iot.attach_policy(policyName=inherited, target=parent_arn)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.attach_policy(policyName=unique("ghost"), target=certificate)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.attach_policy(policyName=direct, target=certificate.rsplit("/", 1)[0] + "/" + "a" * 64)
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.attach_policy(policyName=direct, target=iot.describe_thing(thingName=thing)["thingArn"])

    attached = iot.list_attached_policies(target=certificate)["policies"]
    assert [p["policyName"] for p in attached] == [direct]
    recursive = [p["policyName"] for page in iot.get_paginator("list_attached_policies").paginate(
        target=child_arn, recursive=True) for p in page["policies"]]
    assert recursive == [inherited]
    assert iot.list_attached_policies(target=child_arn)["policies"] == []
    targets = [t for page in iot.get_paginator("list_targets_for_policy").paginate(
        policyName=direct, PaginationConfig={"PageSize": 1}) for t in page["targets"]]
    assert targets == [certificate]
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.list_targets_for_policy(policyName=unique("ghost"))

    effective = iot.get_effective_policies(principal=certificate)["effectivePolicies"]
    assert sorted(p["policyName"] for p in effective) == sorted([direct, inherited])
    by_name = {p["policyName"]: p for p in effective}
    assert by_name[direct]["policyDocument"] == document("iot:Connect")
    assert by_name[inherited]["policyArn"].endswith(f":policy/{inherited}")
    assert len(iot.get_effective_policies(principal=certificate, thingName=thing)["effectivePolicies"]) == 2
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.get_effective_policies(principal=certificate, thingName=unique("ghost"))
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.get_effective_policies()

    with pytest.raises(iot.exceptions.DeleteConflictException):
        iot.delete_policy(policyName=direct)
    iot.detach_policy(policyName=direct, target=certificate)
    iot.detach_policy(policyName=inherited, target=parent_arn)
    assert iot.list_targets_for_policy(policyName=direct)["targets"] == []
    assert iot.get_effective_policies(principal=certificate)["effectivePolicies"] == []
    iot.detach_thing_principal(thingName=thing, principal=certificate)
    iot.delete_policy(policyName=direct)
    iot.delete_policy(policyName=inherited)
    iot.delete_thing(thingName=thing)
    iot.delete_thing_group(thingGroupName=child)
    iot.delete_thing_group(thingGroupName=parent)


def test_legacy_principal_policy_operations(iot, certificate: str) -> None:
    names = sorted(unique("legacy") for _ in range(3))
    for name in names:
        iot.create_policy(policyName=name, policyDocument=document("iot:*"))
        iot.attach_principal_policy(policyName=name, principal=certificate)
    policies = [p["policyName"] for page in iot.get_paginator("list_principal_policies").paginate(
        principal=certificate, PaginationConfig={"PageSize": 2}) for p in page["policies"]]
    assert policies == names
    principals = [p for page in iot.get_paginator("list_policy_principals").paginate(policyName=names[0])
                  for p in page["principals"]]
    assert principals == [certificate]
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.list_policy_principals(policyName=unique("ghost"))
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.attach_principal_policy(policyName=unique("ghost"), principal=certificate)
    for name in names:
        iot.detach_principal_policy(policyName=name, principal=certificate)
        iot.delete_policy(policyName=name)
    assert iot.list_principal_policies(principal=certificate)["policies"] == []
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.detach_principal_policy(policyName=names[0], principal=certificate)


def test_thing_principals(iot, certificate: str) -> None:
    things = sorted(unique("holder") for _ in range(3))
    for thing in things:
        iot.create_thing(thingName=thing)
        iot.attach_thing_principal(thingName=thing, principal=certificate)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.attach_thing_principal(thingName=unique("ghost"), principal=certificate)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.attach_thing_principal(thingName=things[0], principal=certificate.rsplit("/", 1)[0] + "/" + "c" * 64)
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.attach_thing_principal(thingName=things[0], principal=certificate, thingPrincipalType="EXCLUSIVE_THING")

    assert iot.list_thing_principals(thingName=things[0])["principals"] == [certificate]
    principals = [p for page in iot.get_paginator("list_thing_principals").paginate(thingName=things[1])
                  for p in page["principals"]]
    assert principals == [certificate]
    holders = [t for page in iot.get_paginator("list_principal_things").paginate(
        principal=certificate, PaginationConfig={"PageSize": 2}) for t in page["things"]]
    assert holders == things
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.list_thing_principals(thingName=unique("ghost"))

    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.delete_thing(thingName=things[0])  # a principal is attached
    for thing in things:
        iot.detach_thing_principal(thingName=thing, principal=certificate)
        iot.delete_thing(thingName=thing)
    assert iot.list_principal_things(principal=certificate)["things"] == []
