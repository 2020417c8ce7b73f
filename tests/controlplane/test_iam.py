"""IAM through boto3 and awscli: roles with trust policies, customer managed policies and their
versions, attachments and inline role policies, with AWS's errors, paging and URL-encoded
policy documents (which botocore decodes back into dictionaries)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from apiserver import ApiServer, start_thingport
from iotcerts import unique

TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "iot.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def allow(action: str, resource: str | list[str] = "*") -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}


@pytest.fixture
def iam(api: ApiServer):
    return api.client("iam")


def error_of(call) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def test_the_seeds_iam_calls(api: ApiServer) -> None:
    # As the seed writes them (its REGION_NAME is set elsewhere; only the endpoint differs).
    iam_client = api.client("iam")
    IAM_ROLE_NAME = 'test-iot-role-1'
    response = iam_client.create_role(
        Path='/service-role/',
        RoleName=IAM_ROLE_NAME,
        AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {
                    "Service": "iot.amazonaws.com"
                },
                "Action": "sts:AssumeRole"
            }]
        })
    )
    roleArn = response['Role']['Arn']
    account = roleArn.split(":")[4]
    topic_arn = f"arn:aws:sns:us-east-1:{account}:iot-notification"
    response = iam_client.create_policy(
        PolicyName='test-iot-policy-1',
        PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Action": "sns:Publish",
                "Resource": topic_arn
            }
        })
    )
    policyArn = response['Policy']['Arn']
    iam_client.attach_role_policy(
        RoleName=IAM_ROLE_NAME,
        PolicyArn=policyArn
    )

    assert roleArn == f"arn:aws:iam::{account}:role/service-role/test-iot-role-1"
    assert policyArn == f"arn:aws:iam::{account}:policy/test-iot-policy-1"
    attached = iam_client.list_attached_role_policies(RoleName=IAM_ROLE_NAME)["AttachedPolicies"]
    assert attached == [{"PolicyName": "test-iot-policy-1", "PolicyArn": policyArn}]
    # Clean up, so the names stay free for a rerun against the same server.
    iam_client.detach_role_policy(RoleName=IAM_ROLE_NAME, PolicyArn=policyArn)
    iam_client.delete_policy(PolicyArn=policyArn)
    iam_client.delete_role(RoleName=IAM_ROLE_NAME)


def test_role_lifecycle(iam) -> None:
    name = unique("role")
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    created = iam.create_role(
        RoleName=name, Path="/service-role/", AssumeRolePolicyDocument=json.dumps(TRUST), Description="rules",
        MaxSessionDuration=7200, Tags=[{"Key": "team", "Value": "ops"}],
    )["Role"]
    assert created["RoleName"] == name
    assert created["Path"] == "/service-role/"
    assert created["Arn"].startswith("arn:aws:iam::") and created["Arn"].endswith(f":role/service-role/{name}")
    assert created["RoleId"].startswith("AROA") and len(created["RoleId"]) == 21
    # botocore URL-decodes and parses the trust policy, as it does for AWS.
    assert created["AssumeRolePolicyDocument"] == TRUST
    assert created["Tags"] == [{"Key": "team", "Value": "ops"}]
    assert before - datetime.timedelta(seconds=5) <= created["CreateDate"] <= before + datetime.timedelta(minutes=5)

    role = iam.get_role(RoleName=name.upper())["Role"]
    assert role["RoleName"] == name and role["RoleId"] == created["RoleId"]
    assert role["AssumeRolePolicyDocument"] == TRUST
    assert role["Description"] == "rules"
    assert role["MaxSessionDuration"] == 7200
    assert role["RoleLastUsed"] == {}
    assert role["Tags"] == [{"Key": "team", "Value": "ops"}]

    iam.update_role(RoleName=name, Description="still rules", MaxSessionDuration=3600)
    lambda_trust = {**TRUST, "Statement": [{**TRUST["Statement"][0], "Principal": {"Service": "lambda.amazonaws.com"}}]}
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(lambda_trust))
    role = iam.get_role(RoleName=name)["Role"]
    assert role["Description"] == "still rules" and role["MaxSessionDuration"] == 3600
    assert role["AssumeRolePolicyDocument"] == lambda_trust

    iam.delete_role(RoleName=name)
    with pytest.raises(iam.exceptions.NoSuchEntityException) as raised:
        iam.get_role(RoleName=name)
    assert raised.value.response["Error"]["Message"] == f"The role with name {name} cannot be found."
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_documents_keep_their_text_including_spaces_and_unicode(iam) -> None:
    name = unique("text")
    condition = {"StringEquals": {"aws:SourceArn": "arn:aws:iot:us-east-1:000000000000:rule/a b+c%20?ünïcödé"}}
    trust = {**TRUST, "Statement": [{**TRUST["Statement"][0], "Condition": condition}]}
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust, indent=2))
    assert iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"] == trust
    iam.delete_role(RoleName=name)


def test_role_errors(iam) -> None:
    name = unique("dup")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException) as raised:
        iam.create_role(RoleName=name.upper(), AssumeRolePolicyDocument=json.dumps(TRUST))
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert raised.value.response["Error"]["Code"] == "EntityAlreadyExists"

    resource_in_trust = {**TRUST, "Statement": [{**TRUST["Statement"][0], "Resource": "*"}]}
    for bad in ["not json", json.dumps(allow("sns:Publish")), json.dumps(resource_in_trust),
                json.dumps({**TRUST, "Statement": [{**TRUST["Statement"][0], "Action": "sns:Publish"}]})]:
        with pytest.raises(iam.exceptions.MalformedPolicyDocumentException) as raised:
            iam.create_role(RoleName=unique("bad"), AssumeRolePolicyDocument=bad)
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert raised.value.response["Error"]["Message"]

    code, status, message = error_of(lambda: iam.get_role(RoleName="bad/name"))
    assert (code, status) == ("ValidationError", 400)
    assert "at 'roleName'" in message
    code, status, message = error_of(
        lambda: iam.create_role(RoleName=unique("long"), AssumeRolePolicyDocument=json.dumps(TRUST),
                                Description="x" * 1001))
    assert (code, status) == ("ValidationError", 400)
    assert "at 'description'" in message
    with pytest.raises(iam.exceptions.InvalidInputException):
        iam.create_role(RoleName=unique("tags"), AssumeRolePolicyDocument=json.dumps(TRUST),
                        Tags=[{"Key": "k", "Value": "1"}, {"Key": "K", "Value": "2"}])
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.update_role(RoleName=unique("missing"), Description="x")
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.delete_role(RoleName=unique("missing"))
    iam.delete_role(RoleName=name)


def test_list_roles_with_path_prefix_and_paginator(iam) -> None:
    path = f"/{unique('list')}/"
    names = sorted(unique(f"r{index}") for index in range(5))
    for name in reversed(names):
        iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=json.dumps(TRUST))
    first = iam.list_roles(PathPrefix=path, MaxItems=2)
    assert first["IsTruncated"] is True and first["Marker"]
    assert [role["RoleName"] for role in first["Roles"]] == names[:2]
    assert "Tags" not in first["Roles"][0]
    assert first["Roles"][0]["AssumeRolePolicyDocument"] == TRUST
    pages = list(iam.get_paginator("list_roles").paginate(PathPrefix=path, PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    assert [role["RoleName"] for page in pages for role in page["Roles"]] == names
    assert pages[-1]["IsTruncated"] is False
    everything = [role["RoleName"] for page in iam.get_paginator("list_roles").paginate() for role in page["Roles"]]
    assert set(names) <= set(everything)
    for name in names:
        iam.delete_role(RoleName=name)
    assert iam.list_roles(PathPrefix=path)["Roles"] == []


def test_managed_policy_versions(iam) -> None:
    name = unique("versions")
    policy = iam.create_policy(PolicyName=name, Path="/iot/", PolicyDocument=json.dumps(allow("iot:Connect")),
                               Description="versions", Tags=[{"Key": "k", "Value": "v"}])["Policy"]
    arn = policy["Arn"]
    assert arn.endswith(f":policy/iot/{name}")
    assert policy["PolicyId"].startswith("ANPA") and len(policy["PolicyId"]) == 21
    assert policy["DefaultVersionId"] == "v1" and policy["AttachmentCount"] == 0 and policy["IsAttachable"] is True
    got = iam.get_policy(PolicyArn=arn)["Policy"]
    assert got["Description"] == "versions" and got["Tags"] == [{"Key": "k", "Value": "v"}]
    assert got["CreateDate"] == policy["CreateDate"]

    second = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow("iot:Publish")),
                                       SetAsDefault=True)["PolicyVersion"]
    assert second["VersionId"] == "v2" and second["IsDefaultVersion"] is True
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v2")["PolicyVersion"]
    assert version["Document"] == allow("iot:Publish")
    assert iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]["Document"] == allow("iot:Connect")
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"

    for action in ["iot:Subscribe", "iot:Receive", "iot:GetThingShadow"]:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow(action)))
    with pytest.raises(iam.exceptions.LimitExceededException) as raised:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow("iot:*")))
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [v["VersionId"] for v in versions] == ["v5", "v4", "v3", "v2", "v1"]
    assert [v["IsDefaultVersion"] for v in versions] == [False, False, False, True, False]
    assert all("Document" not in v for v in versions)

    with pytest.raises(iam.exceptions.DeleteConflictException):
        iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    with pytest.raises(iam.exceptions.DeleteConflictException):
        iam.delete_policy(PolicyArn=arn)
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_policy_version(PolicyArn=arn, VersionId="v9")
    code, status, _ = error_of(lambda: iam.get_policy_version(PolicyArn=arn, VersionId="1"))
    assert (code, status) == ("ValidationError", 400)

    iam.set_default_policy_version(PolicyArn=arn, VersionId="v5")
    for version_id in ["v1", "v2", "v3", "v4"]:
        iam.delete_policy_version(PolicyArn=arn, VersionId=version_id)
    assert iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow("iot:*")))[
        "PolicyVersion"]["VersionId"] == "v6"
    iam.delete_policy_version(PolicyArn=arn, VersionId="v6")
    iam.delete_policy(PolicyArn=arn)
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_policy(PolicyArn=arn)


def test_managed_policy_errors(iam) -> None:
    name = unique("perr")
    arn = iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(allow("sns:Publish")))["Policy"]["Arn"]
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException):
        iam.create_policy(PolicyName=name.upper(), Path="/other/", PolicyDocument=json.dumps(allow("sns:Publish")))
    for bad in ["{", json.dumps(TRUST), json.dumps({"Version": "2012-10-17", "Statement": []}),
                json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sns:Publish"}]})]:
        with pytest.raises(iam.exceptions.MalformedPolicyDocumentException):
            iam.create_policy(PolicyName=unique("malformed"), PolicyDocument=bad)
    account = arn.split(":")[4]
    with pytest.raises(iam.exceptions.NoSuchEntityException) as raised:
        iam.get_policy(PolicyArn=f"arn:aws:iam::{account}:policy/elsewhere/{name}")
    assert raised.value.response["Error"]["Message"].endswith("was not found.")
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    with pytest.raises(iam.exceptions.InvalidInputException):
        iam.get_policy(PolicyArn=f"arn:aws:iam::{account}:role/{name}")
    huge = allow("sns:Publish", [f"arn:aws:sns:us-east-1:{account}:topic-{index}" for index in range(200)])
    with pytest.raises(iam.exceptions.LimitExceededException):
        iam.create_policy(PolicyName=unique("huge"), PolicyDocument=json.dumps(huge))
    iam.delete_policy(PolicyArn=arn)


def test_list_policies_scope_attachment_and_paginator(iam) -> None:
    path = f"/{unique('pl')}/"
    names = sorted(unique(f"p{index}") for index in range(3))
    arns = [iam.create_policy(PolicyName=name, Path=path, PolicyDocument=json.dumps(allow("iot:*")))["Policy"]["Arn"]
            for name in names]
    role = unique("lister")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.attach_role_policy(RoleName=role, PolicyArn=arns[1])

    listed = iam.list_policies(Scope="Local", PathPrefix=path)["Policies"]
    assert [policy["PolicyName"] for policy in listed] == names
    assert [policy["AttachmentCount"] for policy in listed] == [0, 1, 0]
    assert iam.list_policies(Scope="AWS", PathPrefix=path)["Policies"] == []
    attached = iam.list_policies(OnlyAttached=True, PathPrefix=path)["Policies"]
    assert [policy["PolicyName"] for policy in attached] == [names[1]]
    pages = list(iam.get_paginator("list_policies").paginate(PathPrefix=path, PaginationConfig={"PageSize": 1}))
    assert [policy["PolicyName"] for page in pages for policy in page["Policies"]] == names
    assert len(pages) == 3

    iam.detach_role_policy(RoleName=role, PolicyArn=arns[1])
    iam.delete_role(RoleName=role)
    for arn in arns:
        iam.delete_policy(PolicyArn=arn)


def test_attachments_and_entities(iam) -> None:
    role, other, policy_name = unique("attached"), unique("other"), unique("publish")
    role_id = iam.create_role(RoleName=role, Path="/service-role/",
                              AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["RoleId"]
    iam.create_role(RoleName=other, AssumeRolePolicyDocument=json.dumps(TRUST))
    arn = iam.create_policy(PolicyName=policy_name, PolicyDocument=json.dumps(allow("sns:Publish")))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)  # again: no change
    iam.attach_role_policy(RoleName=other, PolicyArn=arn)

    assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == [
        {"PolicyName": policy_name, "PolicyArn": arn}]
    assert iam.list_attached_role_policies(RoleName=role, PathPrefix="/nowhere/")["AttachedPolicies"] == []
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert sorted(entry["RoleName"] for entry in entities["PolicyRoles"]) == sorted([role, other])
    assert entities["PolicyGroups"] == [] and entities["PolicyUsers"] == []
    only_service = iam.list_entities_for_policy(PolicyArn=arn, PathPrefix="/service-role/")["PolicyRoles"]
    assert only_service == [{"RoleName": role, "RoleId": role_id}]
    assert iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="User")["PolicyRoles"] == []
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 2

    with pytest.raises(iam.exceptions.DeleteConflictException) as raised:
        iam.delete_role(RoleName=role)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(iam.exceptions.DeleteConflictException):
        iam.delete_policy(PolicyArn=arn)
    with pytest.raises(iam.exceptions.NoSuchEntityException) as raised:
        iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/service-role/AWSIoTRuleActions")
    assert "does not exist or is not attachable" in raised.value.response["Error"]["Message"]
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.attach_role_policy(RoleName=unique("nobody"), PolicyArn=arn)

    for name in (role, other):
        iam.detach_role_policy(RoleName=name, PolicyArn=arn)
        iam.delete_role(RoleName=name)
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.detach_role_policy(RoleName=role, PolicyArn=arn)
    iam.delete_policy(PolicyArn=arn)


def test_at_most_ten_managed_policies_per_role(iam) -> None:
    role = unique("full")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))
    arns = [iam.create_policy(PolicyName=unique(f"q{index}"), PolicyDocument=json.dumps(allow("iot:*")))["Policy"]["Arn"]
            for index in range(11)]
    for arn in arns[:10]:
        iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    with pytest.raises(iam.exceptions.LimitExceededException):
        iam.attach_role_policy(RoleName=role, PolicyArn=arns[10])
    for arn in arns[:10]:
        iam.detach_role_policy(RoleName=role, PolicyArn=arn)
    for arn in arns:
        iam.delete_policy(PolicyArn=arn)
    iam.delete_role(RoleName=role)


def test_inline_role_policies(iam) -> None:
    role = unique("inline")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName=role, PolicyName="publish", PolicyDocument=json.dumps(allow("sns:Publish")))
    iam.put_role_policy(RoleName=role, PolicyName="connect", PolicyDocument=json.dumps(allow("iot:Connect")))
    got = iam.get_role_policy(RoleName=role, PolicyName="publish")
    assert got["RoleName"] == role and got["PolicyName"] == "publish"
    assert got["PolicyDocument"] == allow("sns:Publish")
    # Putting the same name replaces the document.
    iam.put_role_policy(RoleName=role, PolicyName="publish", PolicyDocument=json.dumps(allow("sns:*")))
    assert iam.get_role_policy(RoleName=role, PolicyName="publish")["PolicyDocument"] == allow("sns:*")
    assert iam.list_role_policies(RoleName=role)["PolicyNames"] == ["connect", "publish"]
    first = iam.list_role_policies(RoleName=role, MaxItems=1)
    assert first["PolicyNames"] == ["connect"] and first["IsTruncated"] is True
    assert iam.list_role_policies(RoleName=role, Marker=first["Marker"])["PolicyNames"] == ["publish"]

    with pytest.raises(iam.exceptions.MalformedPolicyDocumentException):
        iam.put_role_policy(RoleName=role, PolicyName="bad", PolicyDocument=json.dumps(TRUST))
    with pytest.raises(iam.exceptions.NoSuchEntityException) as raised:
        iam.get_role_policy(RoleName=role, PolicyName="absent")
    assert raised.value.response["Error"]["Message"] == "The role policy with name absent cannot be found."
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.put_role_policy(RoleName=unique("nobody"), PolicyName="p", PolicyDocument=json.dumps(allow("iot:*")))
    with pytest.raises(iam.exceptions.DeleteConflictException):
        iam.delete_role(RoleName=role)
    for name in ("publish", "connect"):
        iam.delete_role_policy(RoleName=role, PolicyName=name)
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.delete_role_policy(RoleName=role, PolicyName="publish")
    assert iam.list_role_policies(RoleName=role)["PolicyNames"] == []
    iam.delete_role(RoleName=role)


def test_awscli_creates_and_reads_a_role(api: ApiServer, tmp_path: Path) -> None:
    environment = dict(os.environ, AWS_ACCESS_KEY_ID=api.access_key_id, AWS_SECRET_ACCESS_KEY=api.secret_access_key,
                       AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null",
                       AWS_SHARED_CREDENTIALS_FILE="/dev/null")

    def aws(*arguments: str) -> dict:
        result = subprocess.run(["aws", "iam", *arguments, "--endpoint-url", api.url, "--output", "json"],
                                capture_output=True, text=True, env=environment, timeout=120)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else {}

    name = unique("cli-role")
    trust_file = tmp_path / "trust.json"
    trust_file.write_text(json.dumps(TRUST))
    created = aws("create-role", "--role-name", name, "--path", "/service-role/",
                  "--assume-role-policy-document", f"file://{trust_file}")
    assert created["Role"]["Arn"].endswith(f":role/service-role/{name}")
    assert aws("get-role", "--role-name", name)["Role"]["AssumeRolePolicyDocument"] == TRUST
    aws("put-role-policy", "--role-name", name, "--policy-name", "p", "--policy-document",
        json.dumps(allow("sns:Publish")))
    assert aws("get-role-policy", "--role-name", name, "--policy-name", "p")["PolicyDocument"] == allow("sns:Publish")
    aws("delete-role-policy", "--role-name", name, "--policy-name", "p")
    aws("delete-role", "--role-name", name)


@pytest.mark.skipif(bool(os.environ.get("THINGPORT_API_URL")), reason="starts its own servers")
def test_roles_survive_a_restart_and_reset_removes_them(tmp_path: Path) -> None:
    workdir = tmp_path / "node"
    workdir.mkdir()
    first = start_thingport(workdir, "--allow-reset")
    try:
        iam = first.client("iam")
        role = iam.create_role(RoleName="kept", Path="/service-role/", AssumeRolePolicyDocument=json.dumps(TRUST))
        policy = iam.create_policy(PolicyName="kept-policy", PolicyDocument=json.dumps(allow("sns:Publish")))
        iam.attach_role_policy(RoleName="kept", PolicyArn=policy["Policy"]["Arn"])
    finally:
        first.stop()
    second = start_thingport(workdir, "--allow-reset")
    try:
        iam = second.client("iam")
        assert iam.get_role(RoleName="kept")["Role"]["RoleId"] == role["Role"]["RoleId"]
        assert iam.list_attached_role_policies(RoleName="kept")["AttachedPolicies"] == [
            {"PolicyName": "kept-policy", "PolicyArn": policy["Policy"]["Arn"]}]
        request = urllib.request.Request(second.url + "/_thingport/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status in (200, 204)
        with pytest.raises(iam.exceptions.NoSuchEntityException):
            iam.get_role(RoleName="kept")
        assert iam.list_policies(Scope="Local")["Policies"] == []
    finally:
        second.stop()
