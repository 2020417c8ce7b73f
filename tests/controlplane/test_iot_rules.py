"""Topic rule definitions and resource tags through boto3: the SQL parsed when a rule is created
(honouring ``awsIotSqlVersion``), the rule's topic taken from its FROM, payloads returned as
given, listing by topic with paging, and tagging every taggable resource."""

from __future__ import annotations

import pytest

from apiserver import ApiServer
from iotcerts import unique


def payload(topic: str, sql: str | None = None, version: str | None = "2016-03-23", **extra) -> dict:
    body = {
        "sql": sql or f"SELECT * FROM '{topic}'",
        "description": "test",
        "actions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:iot-notification",
                             "roleArn": "arn:aws:iam::123456789012:role/service-role/test-iot-role-1",
                             "messageFormat": "RAW"}}],
        "ruleDisabled": False,
        **extra,
    }
    if version is not None:
        body["awsIotSqlVersion"] = version
    return body


@pytest.fixture
def iot(api: ApiServer):
    return api.client("iot")


def test_create_get_replace_enable_delete(iot) -> None:
    name = unique("rule", "_")
    topic = f"{unique('sensors')}/+/temperature"
    given = payload(topic, sql=f"SELECT temp, topic(2) AS device FROM '{topic}' WHERE temp > 30")
    iot.create_topic_rule(ruleName=name, topicRulePayload=given)
    with pytest.raises(iot.exceptions.ResourceAlreadyExistsException) as duplicate:
        iot.create_topic_rule(ruleName=name, topicRulePayload=given)
    assert duplicate.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409

    got = iot.get_topic_rule(ruleName=name)
    assert got["ruleArn"].endswith(f":rule/{name}")
    rule = got["rule"]
    assert rule["ruleName"] == name
    for member in ("sql", "description", "actions", "awsIotSqlVersion", "ruleDisabled"):
        assert rule[member] == given[member], member
    assert "createdAt" in rule
    listed = iot.list_topic_rules(topic=topic)["rules"]
    assert [(r["ruleName"], r["topicPattern"], r["ruleDisabled"]) for r in listed] == [(name, topic, False)]
    assert listed[0]["ruleArn"] == got["ruleArn"]

    iot.disable_topic_rule(ruleName=name)
    assert iot.get_topic_rule(ruleName=name)["rule"]["ruleDisabled"] is True
    assert name in [r["ruleName"] for r in iot.list_topic_rules(ruleDisabled=True, topic=topic)["rules"]]
    iot.enable_topic_rule(ruleName=name)
    assert iot.get_topic_rule(ruleName=name)["rule"]["ruleDisabled"] is False

    new_topic = unique("moved")
    replacement = payload(new_topic, actions=[{"republish": {"topic": "out/${topic()}", "qos": 1,
                                                             "roleArn": "arn:aws:iam::123456789012:role/r"}}],
                          errorAction={"republish": {"topic": "errors", "roleArn": "arn:aws:iam::123456789012:role/r"}})
    iot.replace_topic_rule(ruleName=name, topicRulePayload=replacement)
    rule = iot.get_topic_rule(ruleName=name)["rule"]
    assert rule["sql"] == replacement["sql"]
    assert rule["actions"] == replacement["actions"]
    assert rule["errorAction"] == replacement["errorAction"]
    assert [r["ruleName"] for r in iot.list_topic_rules(topic=new_topic)["rules"]] == [name]
    assert iot.list_topic_rules(topic=topic)["rules"] == []
    with pytest.raises(iot.exceptions.SqlParseException):
        iot.replace_topic_rule(ruleName=name, topicRulePayload=payload(topic, sql="SELECT FROM"))

    iot.delete_topic_rule(ruleName=name)
    with pytest.raises(iot.exceptions.UnauthorizedException):
        iot.get_topic_rule(ruleName=name)
    iot.delete_topic_rule(ruleName=name)  # deleting what does not exist succeeds, as on AWS
    for call in (iot.enable_topic_rule, iot.disable_topic_rule):
        with pytest.raises(iot.exceptions.UnauthorizedException):
            call(ruleName=name)
    with pytest.raises(iot.exceptions.UnauthorizedException):
        iot.replace_topic_rule(ruleName=name, topicRulePayload=replacement)


@pytest.mark.parametrize(("sql", "version"), [
    ("SELECT * FROM", "2016-03-23"),
    ("SELEKT * FROM 'a/b'", "2016-03-23"),
    ("SELECT * FROM 'a/b' WHERE", "2015-10-08"),
    ("SELECT {'a': 1} AS x FROM 'a/b'", "2015-10-08"),  # object literals arrived in 2016-03-23
    ("SELECT {'a': 1} AS x FROM 'a/b'", None),  # no version: 2015-10-08
])
def test_sql_parse_errors(iot, sql: str, version: str | None) -> None:
    name = unique("bad", "_")
    with pytest.raises(iot.exceptions.SqlParseException) as raised:
        iot.create_topic_rule(ruleName=name, topicRulePayload=payload("a/b", sql=sql, version=version))
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert raised.value.response["Error"]["Message"]
    with pytest.raises(iot.exceptions.UnauthorizedException):
        iot.get_topic_rule(ruleName=name)


def test_sql_versions_and_invalid_requests(iot) -> None:
    name = unique("objects", "_")
    iot.create_topic_rule(ruleName=name, topicRulePayload=payload("x", sql="SELECT {'a': 1} AS x FROM 'objects/#'"))
    assert iot.list_topic_rules(topic="objects/#")["rules"][0]["ruleName"] == name
    iot.delete_topic_rule(ruleName=name)
    plain = unique("plain", "_")
    iot.create_topic_rule(ruleName=plain, topicRulePayload=payload("plain/topic", version=None))
    assert "awsIotSqlVersion" not in iot.get_topic_rule(ruleName=plain)["rule"]
    iot.delete_topic_rule(ruleName=plain)
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.create_topic_rule(ruleName=unique("dated", "_"), topicRulePayload=payload("a", version="1999-01-01"))
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.create_topic_rule(ruleName="bad-name", topicRulePayload=payload("a"))


def test_list_topic_rules_paginates(iot) -> None:
    topic = unique("paged")
    names = sorted(unique("r", "_") for _ in range(5))
    for name in names:
        iot.create_topic_rule(ruleName=name, topicRulePayload=payload(topic))
    pages = list(iot.get_paginator("list_topic_rules").paginate(topic=topic, PaginationConfig={"PageSize": 2}))
    assert [len(page["rules"]) for page in pages] == [2, 2, 1]
    assert [r["ruleName"] for page in pages for r in page["rules"]] == names
    everything = [r["ruleName"] for page in iot.get_paginator("list_topic_rules").paginate() for r in page["rules"]]
    assert set(names) <= set(everything)
    for name in names:
        iot.delete_topic_rule(ruleName=name)


def test_tags_on_every_taggable_resource(iot, tmp_path) -> None:
    rule = unique("tagged", "_")
    iot.create_topic_rule(ruleName=rule, topicRulePayload=payload("tags/topic"), tags="team=iot&purpose=alerts")
    rule_arn = iot.get_topic_rule(ruleName=rule)["ruleArn"]
    assert iot.list_tags_for_resource(resourceArn=rule_arn)["tags"] == [
        {"Key": "purpose", "Value": "alerts"}, {"Key": "team", "Value": "iot"}]

    policy = unique("tagged")
    policy_arn = iot.create_policy(
        policyName=policy,
        policyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"}]}',
    )["policyArn"]
    group_arn = iot.create_thing_group(thingGroupName=unique("tagged"))["thingGroupArn"]
    type_arn = iot.create_thing_type(thingTypeName=unique("tagged"))["thingTypeArn"]
    for arn in (rule_arn, policy_arn, group_arn, type_arn):
        iot.tag_resource(resourceArn=arn, tags=[{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "core"}])
        tags = [t for page in iot.get_paginator("list_tags_for_resource").paginate(resourceArn=arn)
                for t in page["tags"]]
        assert {"Key": "env", "Value": "test"} in tags and {"Key": "team", "Value": "core"} in tags
        iot.untag_resource(resourceArn=arn, tagKeys=["env", "absent"])
        assert "env" not in [t["Key"] for t in iot.list_tags_for_resource(resourceArn=arn)["tags"]]

    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.tag_resource(resourceArn=policy_arn + "-ghost", tags=[{"Key": "k", "Value": "v"}])
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.tag_resource(resourceArn=rule_arn, tags=[{"Key": "aws:reserved", "Value": "v"}])
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.tag_resource(resourceArn="arn:aws:iot:us-east-1:123456789012:nothing/x", tags=[{"Key": "k", "Value": "v"}])
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.list_tags_for_resource(resourceArn=rule_arn + "_ghost")
    with pytest.raises(iot.exceptions.LimitExceededException):
        iot.tag_resource(resourceArn=policy_arn, tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])

    iot.delete_topic_rule(ruleName=rule)
    iot.delete_policy(policyName=policy)
