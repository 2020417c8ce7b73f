"""SNS through boto3 and awscli: topics with their attributes and tags, subscriptions and their
confirmation (the token read from the server's database, as the confirmation link carries it),
publishing single messages and batches, and AWS's errors, all parsed by botocore's ``sns``
model."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from apiserver import ApiServer
from iotcerts import unique

DEFAULT_EFFECTIVE_DELIVERY_POLICY = {
    "http": {
        "defaultHealthyRetryPolicy": {
            "minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3, "numMaxDelayRetries": 0,
            "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear",
        },
        "disableSubscriptionOverrides": False,
        "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"},
    }
}
# An address nothing listens on: deliveries to it stay in the store, failing.
UNREACHABLE = "http://127.0.0.1:9/sns"


@pytest.fixture
def sns(api: ApiServer):
    return api.client("sns")


def error_of(call) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def database(api: ApiServer) -> sqlite3.Connection:
    """The server's SQLite database, read-only (the server keeps writing to it)."""
    if api.data_dir is None:
        pytest.skip("reads the server's database; THINGPORT_API_URL points at an external server")
    path = api.data_dir / "thingport.sqlite"
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)


def token_of(api: ApiServer, subscription_arn: str) -> str:
    """The confirmation token of a pending subscription, as its confirmation message carries it."""
    with database(api) as db:
        row = db.execute("SELECT token FROM sns_subscriptions WHERE id = ?",
                         (subscription_arn.rsplit(":", 1)[1],)).fetchone()
    assert row is not None and row[0], f"no pending subscription {subscription_arn}"
    return row[0]


def deliveries_of(api: ApiServer, subscription_arn: str) -> list[dict]:
    with database(api) as db:
        rows = db.execute("SELECT kind, payload FROM sns_deliveries WHERE subscription_id = ? ORDER BY created",
                          (subscription_arn.rsplit(":", 1)[1],)).fetchall()
    return [dict(json.loads(payload), kind_column=kind) for kind, payload in rows]


def confirmed_subscription(api: ApiServer, sns, topic_arn: str, protocol: str = "http", endpoint: str = UNREACHABLE,
                           **attributes: str) -> str:
    arn = sns.subscribe(TopicArn=topic_arn, Protocol=protocol, Endpoint=endpoint, Attributes=attributes,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    confirmed = sns.confirm_subscription(TopicArn=topic_arn, Token=token_of(api, arn))
    assert confirmed["SubscriptionArn"] == arn
    return arn


def test_the_seeds_sns_calls(api: ApiServer) -> None:
    # As the seed writes them (only the endpoint differs).
    sns_client = api.client("sns")
    SNS_TOPIC_NAME = 'iot-notification'
    sns_topic_response = sns_client.create_topic(Name=SNS_TOPIC_NAME)
    topic_arn = sns_topic_response['TopicArn']
    EMAIL_ID = "seed-reader@example.com"
    response = sns_client.subscribe(
        TopicArn=topic_arn,
        Protocol='email',
        Endpoint=EMAIL_ID
    )
    assert topic_arn.startswith("arn:aws:sns:us-east-1:") and topic_arn.endswith(":iot-notification")
    assert response["SubscriptionArn"] == "pending confirmation"
    pending = [s for s in sns_client.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
               if s["Endpoint"] == EMAIL_ID]
    assert pending == [{"SubscriptionArn": "PendingConfirmation", "Owner": topic_arn.split(":")[4],
                        "Protocol": "email", "Endpoint": EMAIL_ID, "TopicArn": topic_arn}]


def test_topic_attributes_have_aws_shape(sns) -> None:
    name = unique("attrs")
    arn = sns.create_topic(Name=name, Attributes={"DisplayName": "Alarms & <more>"},
                           Tags=[{"Key": "team", "Value": "ops"}])["TopicArn"]
    account = arn.split(":")[4]
    assert sns.create_topic(Name=name)["TopicArn"] == arn
    assert sns.create_topic(Name=name, Attributes={"DisplayName": "Alarms & <more>"})["TopicArn"] == arn
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert set(attributes) == {"TopicArn", "Owner", "DisplayName", "Policy", "SubscriptionsConfirmed",
                               "SubscriptionsPending", "SubscriptionsDeleted", "EffectiveDeliveryPolicy"}
    assert attributes["TopicArn"] == arn and attributes["Owner"] == account
    assert attributes["DisplayName"] == "Alarms & <more>"
    assert (attributes["SubscriptionsConfirmed"], attributes["SubscriptionsPending"],
            attributes["SubscriptionsDeleted"]) == ("0", "0", "0")
    assert json.loads(attributes["EffectiveDeliveryPolicy"]) == DEFAULT_EFFECTIVE_DELIVERY_POLICY
    policy = json.loads(attributes["Policy"])
    assert policy["Id"] == "__default_policy_ID" and policy["Version"] == "2008-10-17"
    statement = policy["Statement"][0]
    assert statement["Resource"] == arn
    assert statement["Condition"] == {"StringEquals": {"AWS:SourceOwner": account}}
    assert "SNS:Publish" in statement["Action"] and "SNS:Subscribe" in statement["Action"]

    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Renamed")
    sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="2")
    delivery = {"http": {"defaultHealthyRetryPolicy": {"numRetries": 5, "minDelayTarget": 1, "maxDelayTarget": 10}}}
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(delivery))
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attributes["DisplayName"] == "Renamed" and attributes["SignatureVersion"] == "2"
    assert json.loads(attributes["DeliveryPolicy"]) == delivery
    effective = json.loads(attributes["EffectiveDeliveryPolicy"])["http"]["defaultHealthyRetryPolicy"]
    assert (effective["numRetries"], effective["minDelayTarget"], effective["maxDelayTarget"]) == (5, 1, 10)

    code, status, message = error_of(lambda: sns.create_topic(Name=name, Attributes={"DisplayName": "Other"}))
    assert (code, status) == ("InvalidParameter", 400)
    assert message == "Invalid parameter: Attributes Reason: Topic already exists with different attributes"
    assert error_of(lambda: sns.create_topic(Name=name, Tags=[{"Key": "team", "Value": "dev"}]))[2] == (
        "Invalid parameter: Tags Reason: Topic already exists with different tags")
    assert error_of(lambda: sns.set_topic_attributes(TopicArn=arn, AttributeName="Colour", AttributeValue="red")) == (
        "InvalidParameter", 400, "Invalid parameter: AttributeName")
    assert error_of(lambda: sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion",
                                                     AttributeValue="3"))[0] == "InvalidParameter"


def test_topic_names_and_fifo_are_checked(sns) -> None:
    with pytest.raises(sns.exceptions.InvalidParameterException) as raised:
        sns.create_topic(Name="not a name")
    assert raised.value.response["Error"]["Message"] == "Invalid parameter: Topic Name"
    for call in (lambda: sns.create_topic(Name=unique("orders") + ".fifo", Attributes={"FifoTopic": "true"}),
                 lambda: sns.create_topic(Name=unique("orders"), Attributes={"FifoTopic": "true"})):
        assert error_of(call) == ("InvalidParameter", 400,
                                  "Invalid parameter: FIFO topics are not supported by Thingport")


def test_list_topics_pages_and_delete_is_idempotent(sns) -> None:
    prefix = unique("page")
    arns = [sns.create_topic(Name=f"{prefix}-{index:03d}")["TopicArn"] for index in range(105)]
    listed = [topic["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for topic in page["Topics"]]
    assert [arn for arn in listed if f":{prefix}-" in arn] == arns
    first = sns.list_topics()
    assert len(first["Topics"]) == 100 and "NextToken" in first
    for arn in arns:
        sns.delete_topic(TopicArn=arn)
    sns.delete_topic(TopicArn=arns[0])
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.get_topic_attributes(TopicArn=arns[0])


def test_topic_arns_are_checked(sns) -> None:
    assert error_of(lambda: sns.get_topic_attributes(TopicArn="not-an-arn")) == (
        "InvalidParameter", 400, "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1")
    account = sns.create_topic(Name=unique("mine"))["TopicArn"].split(":")[4]
    other = "111111111111" if account != "111111111111" else "222222222222"
    with pytest.raises(sns.exceptions.AuthorizationErrorException):
        sns.get_topic_attributes(TopicArn=f"arn:aws:sns:us-east-1:{other}:theirs")
    assert error_of(lambda: sns.get_topic_attributes(TopicArn=f"arn:aws:sns:eu-west-1:{account}:t"))[2] == (
        "Invalid parameter: TopicArn")


def test_subscribe_confirm_and_unsubscribe(api: ApiServer, sns) -> None:
    topic = sns.create_topic(Name=unique("subs"))["TopicArn"]
    assert sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="a@example.com")["SubscriptionArn"] == (
        "pending confirmation")
    arn = sns.subscribe(TopicArn=topic, Protocol="https", Endpoint="https://127.0.0.1:9/hook",
                        Attributes={"RawMessageDelivery": "true"}, ReturnSubscriptionArn=True)["SubscriptionArn"]
    assert arn.startswith(topic + ":")
    # Subscribing again answers the same subscription.
    assert sns.subscribe(TopicArn=topic, Protocol="https", Endpoint="https://127.0.0.1:9/hook",
                         ReturnSubscriptionArn=True)["SubscriptionArn"] == arn
    listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert sorted(s["SubscriptionArn"] for s in listed) == ["PendingConfirmation", "PendingConfirmation"]
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert attributes["PendingConfirmation"] == "true" and attributes["ConfirmationWasAuthenticated"] == "false"
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsPending"] == "2"

    token = token_of(api, arn)
    assert error_of(lambda: sns.confirm_subscription(TopicArn=topic, Token="0" * len(token))) == (
        "InvalidParameter", 400, "Invalid parameter: Token")
    assert sns.confirm_subscription(TopicArn=topic, Token=token,
                                    AuthenticateOnUnsubscribe="true")["SubscriptionArn"] == arn
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert attributes["PendingConfirmation"] == "false" and attributes["ConfirmationWasAuthenticated"] == "true"
    assert attributes["RawMessageDelivery"] == "true" and attributes["Protocol"] == "https"
    assert json.loads(attributes["EffectiveDeliveryPolicy"])["healthyRetryPolicy"]["numRetries"] == 3
    assert [s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
            if s["Protocol"] == "https"] == [arn]
    everything = [s for page in sns.get_paginator("list_subscriptions").paginate() for s in page["Subscriptions"]]
    assert any(s["SubscriptionArn"] == arn and s["TopicArn"] == topic for s in everything)
    counts = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert (counts["SubscriptionsConfirmed"], counts["SubscriptionsPending"]) == ("1", "1")

    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"room": ["7"]}))
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert json.loads(attributes["FilterPolicy"]) == {"room": ["7"]}
    assert attributes["FilterPolicyScope"] == "MessageAttributes"
    sns.unsubscribe(SubscriptionArn=arn)
    sns.unsubscribe(SubscriptionArn=arn)
    with pytest.raises(sns.exceptions.NotFoundException) as raised:
        sns.get_subscription_attributes(SubscriptionArn=arn)
    assert raised.value.response["Error"]["Message"] == "Subscription does not exist"


def test_subscribe_writes_the_confirmation_delivery(api: ApiServer, sns) -> None:
    topic = sns.create_topic(Name=unique("confirm"))["TopicArn"]
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=UNREACHABLE,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    confirmations = [d for d in deliveries_of(api, arn) if d["kind"] == "confirmation"]
    assert len(confirmations) == 1
    confirmation = confirmations[0]
    assert confirmation["kind_column"] == "confirmation"
    assert confirmation["token"] == token_of(api, arn)
    assert confirmation["topicArn"] == topic and confirmation["subscriptionArn"] == arn
    assert confirmation["endpoint"] == UNREACHABLE and confirmation["protocol"] == "http"
    assert confirmation["message"] == (f"You have chosen to subscribe to the topic {topic}.\n"
                                       "To confirm the subscription, visit the SubscribeURL included in this message.")


@pytest.mark.parametrize(
    ("protocol", "endpoint", "message"),
    [
        ("carrier-pigeon", "coop", "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon"),
        ("email", "not-an-address", "Invalid parameter: Email address"),
        ("http", "https://example.com/", "Invalid parameter: Endpoint must match the specified protocol"),
    ],
)
def test_subscribe_checks_protocol_and_endpoint(sns, protocol: str, endpoint: str, message: str) -> None:
    topic = sns.create_topic(Name=unique("bad-sub"))["TopicArn"]
    with pytest.raises(sns.exceptions.InvalidParameterException) as raised:
        sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint=endpoint)
    assert raised.value.response["Error"]["Message"] == message


def test_subscribe_checks_attributes(sns) -> None:
    topic = sns.create_topic(Name=unique("sub-attrs"))["TopicArn"]
    assert error_of(lambda: sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="a@example.com",
                                          Attributes={"RawMessageDelivery": "true"}))[2] == (
        "Invalid parameter: Attributes Reason: Delivery protocol [email] does not support raw message delivery.")
    code, _, message = error_of(lambda: sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=UNREACHABLE,
                                                      Attributes={"FilterPolicy": json.dumps({"a": {"b": ["c"]}})}))
    assert (code, message) == ("InvalidParameter", "Invalid parameter: Attributes Reason: "
                               "Filter policy scope MessageAttributes does not support nested filter policy")
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.subscribe(TopicArn=topic + "-missing", Protocol="email", Endpoint="a@example.com")


def test_publish_writes_deliveries_for_confirmed_matching_subscriptions(api: ApiServer, sns) -> None:
    topic = sns.create_topic(Name=unique("publish"))["TopicArn"]
    everyone = confirmed_subscription(api, sns, topic, endpoint=UNREACHABLE + "/all")
    hot = confirmed_subscription(api, sns, topic, endpoint=UNREACHABLE + "/hot",
                                 FilterPolicy=json.dumps({"temperature": [{"numeric": [">", 40]}]}))
    sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=UNREACHABLE + "/pending")
    message_id = sns.publish(TopicArn=topic, Message="it is hot", Subject="Alert",
                             MessageAttributes={"temperature": {"DataType": "Number", "StringValue": "41"},
                                                "raw": {"DataType": "Binary", "BinaryValue": b"\x02\x03\x04"}})["MessageId"]
    cool_id = sns.publish(TargetArn=topic, Message="it is cool",
                          MessageAttributes={"temperature": {"DataType": "Number", "StringValue": "20"}})["MessageId"]
    assert message_id != cool_id

    def notifications(arn: str) -> dict[str, dict]:
        return {d["messageId"]: d for d in deliveries_of(api, arn) if d["kind"] == "notification"}

    deadline = time.monotonic() + 5
    while not (message_id in notifications(everyone) or time.monotonic() > deadline):
        time.sleep(0.05)
    delivered = notifications(everyone)[message_id]
    assert delivered["subject"] == "Alert" and delivered["message"] == "it is hot"
    assert delivered["messageAttributes"] == {"temperature": {"Type": "Number", "Value": "41"},
                                              "raw": {"Type": "Binary", "Value": "AgME"}}
    assert delivered["timestamp"].endswith("Z") and len(delivered["timestamp"]) == 24
    assert cool_id in notifications(everyone)
    assert set(notifications(hot)) == {message_id}


def test_publish_message_structure_json(api: ApiServer, sns) -> None:
    topic = sns.create_topic(Name=unique("structure"))["TopicArn"]
    arn = confirmed_subscription(api, sns, topic)
    message_id = sns.publish(TopicArn=topic, MessageStructure="json",
                             Message=json.dumps({"default": "plain", "http": "for http"}))["MessageId"]
    assert [d["message"] for d in deliveries_of(api, arn) if d.get("messageId") == message_id] == ["for http"]
    assert error_of(lambda: sns.publish(TopicArn=topic, MessageStructure="json", Message=json.dumps({"http": "x"}))) == (
        "InvalidParameter", 400, "Invalid parameter: Message Structure - No default entry in JSON message body")


def test_publish_errors(sns) -> None:
    topic = sns.create_topic(Name=unique("publish-errors"))["TopicArn"]
    assert error_of(lambda: sns.publish(TopicArn=topic, Message="")) == (
        "InvalidParameter", 400, "Invalid parameter: Empty message")
    assert error_of(lambda: sns.publish(TopicArn=topic, Message="m", Subject="two\nlines"))[2] == (
        "Invalid parameter: Subject")
    assert error_of(lambda: sns.publish(TopicArn=topic, Message="x" * (256 * 1024 + 1)))[2] == (
        "Invalid parameter: Message too long")
    with pytest.raises(sns.exceptions.InvalidParameterValueException) as raised:
        sns.publish(TopicArn=topic, Message="m",
                    MessageAttributes={"n": {"DataType": "Number", "StringValue": "many"}})
    assert raised.value.response["Error"]["Code"] == "ParameterValueInvalid"
    assert raised.value.response["Error"]["Message"] == "Could not cast message attribute 'n' value to number."
    with pytest.raises(sns.exceptions.InvalidParameterValueException):
        sns.publish(TopicArn=topic, Message="m", MessageAttributes={"a^b": {"DataType": "String", "StringValue": "x"}})
    with pytest.raises(sns.exceptions.InvalidParameterException) as raised:
        sns.publish(PhoneNumber="+15555550100", Message="m")
    assert "PhoneNumber" in raised.value.response["Error"]["Message"]
    with pytest.raises(sns.exceptions.NotFoundException) as raised:
        sns.publish(TopicArn=topic + "-missing", Message="m")
    assert raised.value.response["Error"]["Message"] == "Topic does not exist"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_publish_batch(api: ApiServer, sns) -> None:
    topic = sns.create_topic(Name=unique("batch"))["TopicArn"]
    arn = confirmed_subscription(api, sns, topic)
    result = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "one", "Message": "first", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
        {"Id": "two", "Message": "second", "Subject": "bad\nsubject"},
        {"Id": "three", "Message": "third"},
    ])
    assert [entry["Id"] for entry in result["Successful"]] == ["one", "three"]
    assert result["Failed"] == [{"Id": "two", "Code": "InvalidParameter", "Message": "Invalid parameter: Subject",
                                 "SenderFault": True}]
    ids = {entry["MessageId"] for entry in result["Successful"]}
    assert ids <= {d.get("messageId") for d in deliveries_of(api, arn)}
    with pytest.raises(sns.exceptions.BatchEntryIdsNotDistinctException):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "x", "Message": "m"}] * 2)
    with pytest.raises(sns.exceptions.TooManyEntriesInBatchRequestException):
        sns.publish_batch(TopicArn=topic,
                          PublishBatchRequestEntries=[{"Id": f"e{i}", "Message": "m"} for i in range(11)])
    with pytest.raises(sns.exceptions.EmptyBatchRequestException):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[])
    with pytest.raises(sns.exceptions.InvalidBatchEntryIdException):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "no spaces", "Message": "m"}])
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.publish_batch(TopicArn=topic + "-missing", PublishBatchRequestEntries=[{"Id": "a", "Message": "m"}])


def test_tags(sns) -> None:
    arn = sns.create_topic(Name=unique("tags"), Tags=[{"Key": "k1", "Value": "v1"}])["TopicArn"]
    sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "k2", "Value": "v2"}, {"Key": "k1", "Value": "new"}])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "k1", "Value": "new"},
                                                                   {"Key": "k2", "Value": "v2"}]
    sns.untag_resource(ResourceArn=arn, TagKeys=["k1"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "k2", "Value": "v2"}]
    sns.untag_resource(ResourceArn=arn, TagKeys=["k2"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == []
    with pytest.raises(sns.exceptions.TagLimitExceededException) as raised:
        sns.tag_resource(ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
    assert raised.value.response["Error"]["Message"] == "Could not complete request: tag quota of per resource exceeded"
    with pytest.raises(sns.exceptions.ResourceNotFoundException):
        sns.list_tags_for_resource(ResourceArn=arn + "-missing")
    with pytest.raises(sns.exceptions.InvalidParameterException) as raised:
        sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "d", "Value": "1"}, {"Key": "d", "Value": "2"}])
    assert raised.value.response["Error"]["Message"] == "Invalid parameter: Duplicated keys are not allowed."


def test_awscli_creates_and_reads_a_topic(api: ApiServer, tmp_path: Path) -> None:
    environment = dict(os.environ, AWS_ACCESS_KEY_ID=api.access_key_id, AWS_SECRET_ACCESS_KEY=api.secret_access_key,
                       AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null",
                       AWS_SHARED_CREDENTIALS_FILE="/dev/null")

    def aws(*arguments: str) -> dict:
        result = subprocess.run(["aws", "sns", *arguments, "--endpoint-url", api.url, "--output", "json"],
                                capture_output=True, text=True, env=environment, timeout=120)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else {}

    name = unique("cli-topic")
    arn = aws("create-topic", "--name", name, "--attributes", "DisplayName=From the CLI")["TopicArn"]
    assert aws("get-topic-attributes", "--topic-arn", arn)["Attributes"]["DisplayName"] == "From the CLI"
    assert aws("subscribe", "--topic-arn", arn, "--protocol", "email", "--notification-endpoint",
               "cli@example.com")["SubscriptionArn"] == "pending confirmation"
    assert aws("publish", "--topic-arn", arn, "--message", "hello")["MessageId"]
    aws("delete-topic", "--topic-arn", arn)


def _get(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_subscribe_and_unsubscribe_links_work_unsigned_as_on_aws(api: ApiServer, sns) -> None:
    """A subscriber confirms by fetching the SubscribeURL its confirmation carries, and leaves by
    fetching the UnsubscribeURL of any notification: plain GETs, without a signature."""
    from urllib.parse import quote

    topic = sns.create_topic(Name=unique("links"))["TopicArn"]
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=UNREACHABLE,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    base = api.url.rstrip("/")
    status, body = _get(f"{base}/?Action=ConfirmSubscription&TopicArn={quote(topic)}&Token={'0' * 128}")
    assert status == 400 and "<Code>InvalidParameter</Code>" in body
    status, body = _get(f"{base}/?Action=ConfirmSubscription&TopicArn={quote(topic)}&Token={token_of(api, arn)}")
    assert status == 200, body
    assert f"<SubscriptionArn>{arn}</SubscriptionArn>" in body
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert attributes["PendingConfirmation"] == "false"
    assert attributes["ConfirmationWasAuthenticated"] == "false"

    status, body = _get(f"{base}/?Action=Unsubscribe&SubscriptionArn={quote(arn)}")
    assert status == 200, body
    assert "<UnsubscribeResponse" in body
    assert arn not in [s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]]


def test_other_actions_still_need_a_signature(api: ApiServer) -> None:
    status, body = _get(f"{api.url.rstrip('/')}/?Action=ListTopics")
    assert status in (400, 403), body
    assert "<Code>" in body
