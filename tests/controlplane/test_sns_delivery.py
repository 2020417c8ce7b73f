"""SNS deliveries leave Thingport for real: e-mail through a real SMTP server (aiosmtpd) or
into the outbox directory, HTTP notifications to a real HTTP endpoint, each with AWS's
confirmation flow (the link in the message confirms the subscription) and AWS's formats,
signatures checked with openssl against the certificate at ``SigningCertURL``."""

from __future__ import annotations

import base64
import email
import email.policy
import http.server
import json
import os
import queue
import re
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from apiserver import ApiServer, free_port, start_thingport
from iotcerts import unique

WAIT = 20.0  # longest wait for a delivery (they go out within a second)


def reachable(api: ApiServer, link: str) -> str:
    """A link from a message, pointed at the test server (its public host is a test name)."""
    parts = urlsplit(link)
    return urlunsplit(parts._replace(netloc=urlsplit(api.url).netloc))


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:  # type: ignore[attr-defined]
        return error.code, error.read()


# --------------------------------------------------------------------------- e-mail


class Mailbox:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: queue.Queue[tuple[list[str], email.message.EmailMessage]] = queue.Queue()
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                mailbox.messages.put((list(envelope.rcpt_tos), message))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def next(self, timeout: float = WAIT) -> tuple[list[str], email.message.EmailMessage]:
        return self.messages.get(timeout=timeout)

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    yield box
    box.stop()


def body_of(message: email.message.EmailMessage) -> str:
    return message.get_content()


def test_the_seeds_email_subscription_over_smtp(make_server, mailbox: Mailbox) -> None:
    """The tutorial's flow: an e-mail subscriber confirms from the link in the confirmation
    e-mail, then receives every published message with an unsubscribe footer."""
    api = make_server("--smtp-host", "127.0.0.1", "--smtp-port", str(mailbox.port))
    sns = api.client("sns")
    topic = sns.create_topic(Name=unique("seed-topic"), Attributes={"DisplayName": "Seed alerts"})["TopicArn"]
    assert sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="someone@example.com")[
        "SubscriptionArn"] == "pending confirmation"

    recipients, confirmation = mailbox.next()
    assert recipients == ["someone@example.com"]
    assert confirmation["Subject"] == "AWS Notification - Subscription Confirmation"
    assert "Seed alerts" in confirmation["From"]
    text = body_of(confirmation)
    assert f"You have chosen to subscribe to the topic: \n{topic}" in text or topic in text
    link = re.search(r"(http://\S+\?Action=ConfirmSubscription\S+)", text).group(1)
    status, answer = fetch(reachable(api, link))
    assert status == 200, answer
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert subscriptions[0]["SubscriptionArn"].startswith(topic + ":")

    sns.publish(TopicArn=topic, Subject="Temperature", Message='{"temperature": 31, "device": "thing-1"}')
    recipients, notification = mailbox.next()
    assert recipients == ["someone@example.com"]
    assert notification["Subject"] == "Temperature"
    text = body_of(notification)
    assert '{"temperature": 31, "device": "thing-1"}' in text
    assert "If you wish to stop receiving notifications from this topic" in text
    unsubscribe = re.search(r"(http://\S+\?Action=Unsubscribe\S+)", text).group(1)
    assert fetch(reachable(api, unsubscribe))[0] == 200
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []


def test_without_smtp_email_goes_to_the_outbox_directory(make_server) -> None:
    api = make_server()
    sns = api.client("sns")
    topic = sns.create_topic(Name=unique("outbox"))["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="laptop@example.com")
    outbox = Path(api.data_dir) / "outbox"
    deadline = time.monotonic() + WAIT
    files: list[Path] = []
    while time.monotonic() < deadline and not files:
        files = sorted(outbox.glob("*.eml")) if outbox.exists() else []
        time.sleep(0.1)
    assert len(files) == 1, "no confirmation e-mail in the outbox"
    assert files[0].stat().st_mode & 0o777 == 0o600
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "laptop@example.com"
    assert "ConfirmSubscription" in body_of(message)


def test_the_outbox_is_listed_through_the_api_to_signed_requests_only(make_server) -> None:
    api = make_server()
    sns = api.client("sns")
    topic = sns.create_topic(Name=unique("listed"))["TopicArn"]
    assert api.request("GET", "/_thingport/sns/outbox", service="sns").json == {"Messages": []}
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="desk@example.com")
    deadline = time.monotonic() + WAIT
    listed: list = []
    while time.monotonic() < deadline and not listed:
        response = api.request("GET", "/_thingport/sns/outbox", service="sns")
        assert response.status == 200
        assert response.headers["content-type"] == "application/json"
        listed = response.json["Messages"]
        time.sleep(0.1)
    assert len(listed) == 1, "the confirmation e-mail is not listed"
    files = sorted((Path(api.data_dir) / "outbox").glob("*.eml"))
    assert [entry["Name"] for entry in listed] == [path.name for path in files]
    assert listed[0]["Size"] == files[0].stat().st_size
    assert listed[0]["Message"].encode() == files[0].read_bytes()
    # The listed text is the e-mail: its confirmation link works.
    message = email.message_from_string(listed[0]["Message"], policy=email.policy.default)
    link = re.search(r"(http://\S+\?Action=ConfirmSubscription\S+)", body_of(message)).group(1)
    assert fetch(reachable(api, link))[0] == 200
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert subscriptions[0]["SubscriptionArn"].startswith(topic + ":")
    # It holds confirmation tokens: unsigned or badly signed requests are refused.
    assert api.request("GET", "/_thingport/sns/outbox", service=None).status == 403
    assert api.request("GET", "/_thingport/sns/outbox", service="sns", secret_access_key="wrong").status == 403


# --------------------------------------------------------------------------- HTTP


class Endpoint:
    """A real HTTP endpoint on 127.0.0.1 that records what SNS posts to it."""

    def __init__(self) -> None:
        self.posts: queue.Queue[tuple[dict[str, str], bytes]] = queue.Queue()
        # Statuses to answer notifications with, in order (then 200); confirmations get 200.
        self.failures: list[int] = []
        posts, failures = self.posts, self.failures

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = 200
                if headers.get("x-amz-sns-message-type") == "Notification" and failures:
                    status = failures.pop(0)
                posts.put((headers | {"answered": str(status)}, body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sns"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self, timeout: float = WAIT) -> tuple[dict[str, str], dict]:
        headers, body = self.posts.get(timeout=timeout)
        return headers, json.loads(body)

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    server = Endpoint()
    yield server
    server.stop()


STRING_TO_SIGN_FIELDS = {
    "Notification": ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
    "SubscriptionConfirmation": ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
}


def assert_signed_by_sns(api: ApiServer, message: dict, tmp_path: Path) -> None:
    """Checks the signature as AWS documents receivers should: the canonical string of the
    message's fields, verified with openssl against the certificate at SigningCertURL."""
    text = "".join(
        f"{field}\n{message[field]}\n"
        for field in STRING_TO_SIGN_FIELDS[message["Type"]]
        if field in message and not (field == "Subject" and message[field] is None)
    )
    status, pem = fetch(reachable(api, message["SigningCertURL"]))
    assert status == 200
    (tmp_path / "cert.pem").write_bytes(pem)
    public = subprocess.run(["openssl", "x509", "-in", str(tmp_path / "cert.pem"), "-pubkey", "-noout"],
                            capture_output=True, check=True).stdout
    (tmp_path / "key.pem").write_bytes(public)
    (tmp_path / "signed.txt").write_bytes(text.encode())
    (tmp_path / "signature.bin").write_bytes(base64.b64decode(message["Signature"]))
    digest = "-sha1" if message["SignatureVersion"] == "1" else "-sha256"
    result = subprocess.run(
        ["openssl", "dgst", digest, "-verify", str(tmp_path / "key.pem"), "-signature",
         str(tmp_path / "signature.bin"), str(tmp_path / "signed.txt")],
        capture_output=True, text=True)
    assert result.returncode == 0, f"signature does not verify: {result.stdout}{result.stderr}"


def test_http_subscriber_confirms_and_receives_signed_notifications(
    api: ApiServer, endpoint: Endpoint, tmp_path: Path
) -> None:
    sns = api.client("sns")
    topic = sns.create_topic(Name=unique("http"))["TopicArn"]
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint.url,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    headers, confirmation = endpoint.next()
    assert headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert headers["x-amz-sns-topic-arn"] == topic
    assert confirmation["Type"] == "SubscriptionConfirmation"
    assert confirmation["TopicArn"] == topic
    assert_signed_by_sns(api, confirmation, tmp_path)
    status, answer = fetch(reachable(api, confirmation["SubscribeURL"]))
    assert status == 200, answer

    message_id = sns.publish(TopicArn=topic, Message="door opened", Subject="Door",
                             MessageAttributes={"room": {"DataType": "String", "StringValue": "hall"}})["MessageId"]
    headers, notification = endpoint.next()
    assert headers["x-amz-sns-message-type"] == "Notification"
    assert headers["x-amz-sns-message-id"] == message_id
    assert headers["x-amz-sns-subscription-arn"] == arn
    assert notification["Type"] == "Notification"
    assert notification["MessageId"] == message_id
    assert (notification["Message"], notification["Subject"]) == ("door opened", "Door")
    assert notification["MessageAttributes"] == {"room": {"Type": "String", "Value": "hall"}}
    assert notification["UnsubscribeURL"].endswith(f"?Action=Unsubscribe&SubscriptionArn={arn}")
    assert_signed_by_sns(api, notification, tmp_path)


def test_filter_policies_decide_who_receives(api: ApiServer, endpoint: Endpoint) -> None:
    sns = api.client("sns")
    topic = sns.create_topic(Name=unique("filtered"))["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint.url,
                  Attributes={"FilterPolicy": json.dumps({"severity": ["critical"]})})
    _, confirmation = endpoint.next()
    assert fetch(reachable(api, confirmation["SubscribeURL"]))[0] == 200
    sns.publish(TopicArn=topic, Message="ignored",
                MessageAttributes={"severity": {"DataType": "String", "StringValue": "info"}})
    sns.publish(TopicArn=topic, Message="wake up",
                MessageAttributes={"severity": {"DataType": "String", "StringValue": "critical"}})
    _, notification = endpoint.next()
    assert notification["Message"] == "wake up"
    with pytest.raises(queue.Empty):
        endpoint.posts.get(timeout=1.0)


def test_delivery_counters_per_topic_and_protocol_are_served_to_signed_requests(
    api: ApiServer, endpoint: Endpoint
) -> None:
    sns = api.client("sns")
    name = unique("counted")
    topic = sns.create_topic(Name=name)["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint.url)
    _, confirmation = endpoint.next()
    assert fetch(reachable(api, confirmation["SubscribeURL"]))[0] == 200
    for text in ("one", "two"):
        sns.publish(TopicArn=topic, Message=text)
        assert endpoint.next()[1]["Message"] == text

    def row() -> dict | None:
        response = api.request("GET", "/_thingport/sns/deliveries", service="sns")
        assert response.status == 200
        return next((r for r in response.json["Deliveries"] if r["Topic"] == name), None)

    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and (row() or {}).get("Delivered") != 3:
        time.sleep(0.1)
    # The confirmation and the two notifications, all answered 200 by the endpoint.
    assert row() == {"Topic": name, "Protocol": "http", "Delivered": 3, "Failed": 0, "Retried": 0, "Dropped": 0}
    assert api.request("GET", "/_thingport/sns/deliveries", service=None).status == 403


# A retry policy that retries every second, so that tests need not wait for AWS's 20 s.
QUICK_RETRIES = json.dumps({"healthyRetryPolicy": {
    "minDelayTarget": 1, "maxDelayTarget": 1, "numRetries": 30, "numNoDelayRetries": 0,
    "numMinDelayRetries": 0, "numMaxDelayRetries": 0, "backoffFunction": "linear"}})


def confirmed_http_subscription(api: ApiServer, endpoint: Endpoint, name: str) -> str:
    """A topic with `endpoint` subscribed (quick retries) and confirmed; the topic's ARN."""
    sns = api.client("sns")
    topic = sns.create_topic(Name=name)["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint.url, Attributes={"DeliveryPolicy": QUICK_RETRIES})
    _, confirmation = endpoint.next()
    assert fetch(reachable(api, confirmation["SubscribeURL"]))[0] == 200
    return topic


def test_an_endpoint_that_fails_first_gets_the_same_message_again(api: ApiServer, endpoint: Endpoint) -> None:
    name = unique("retried")
    topic = confirmed_http_subscription(api, endpoint, name)
    endpoint.failures.extend([500, 503])
    message_id = api.client("sns").publish(TopicArn=topic, Message="try again")["MessageId"]
    attempts = [endpoint.next() for _ in range(3)]
    assert [headers["answered"] for headers, _ in attempts] == ["500", "503", "200"]
    assert {body["MessageId"] for _, body in attempts} == {message_id}
    assert {body["Message"] for _, body in attempts} == {"try again"}
    with pytest.raises(queue.Empty):
        endpoint.posts.get(timeout=1.5)  # delivered: no fourth attempt
    deadline = time.monotonic() + WAIT
    counters: dict = {}
    while time.monotonic() < deadline and counters.get("Delivered") != 2:
        rows = api.request("GET", "/_thingport/sns/deliveries", service="sns").json["Deliveries"]
        counters = next((row for row in rows if row["Topic"] == name), {})
        time.sleep(0.1)
    assert (counters.get("Delivered"), counters.get("Retried"), counters.get("Failed")) == (2, 2, 0)


def test_a_notification_still_pending_at_shutdown_is_delivered_after_a_restart(
    tmp_path: Path, endpoint: Endpoint
) -> None:
    if os.environ.get("THINGPORT_API_URL"):
        pytest.skip("needs its own server; THINGPORT_API_URL points at an external one")
    workdir = tmp_path / "node"
    workdir.mkdir()
    first = start_thingport(workdir)
    try:
        topic = confirmed_http_subscription(first, endpoint, unique("pending"))
        endpoint.failures.extend([500] * 1000)  # down until the restart
        message_id = first.client("sns").publish(TopicArn=topic, Message="survives")["MessageId"]
        headers, body = endpoint.next()
        assert (headers["answered"], body["MessageId"]) == ("500", message_id)
    finally:
        first.stop()
    endpoint.failures.clear()  # the endpoint is back
    while not endpoint.posts.empty():
        endpoint.posts.get_nowait()
    second = start_thingport(workdir)
    try:
        headers, body = endpoint.next()
        assert (headers["answered"], body["MessageId"], body["Message"]) == ("200", message_id, "survives")
        assert second.client("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"][0]["Endpoint"] \
            == endpoint.url
    finally:
        second.stop()
