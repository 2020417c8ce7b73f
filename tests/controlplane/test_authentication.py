"""SigV4 on every request: AWS's error codes for missing, unknown, wrong, stale and presigned
authentication, in the shape of each protocol."""

from __future__ import annotations

import datetime
import urllib.request

import botocore.auth
import pytest
from botocore.exceptions import ClientError

from apiserver import ApiServer


def error_of(call) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"].get("Message", "")


def test_a_request_without_authentication_is_refused(api: ApiServer) -> None:
    rest = api.request("GET", "/endpoint", service=None)
    assert (rest.status, rest.error_type) == (403, "MissingAuthenticationTokenException")
    query = api.request(
        "POST", "/", body=b"Action=ListTopics&Version=2010-03-31",
        headers={"Content-Type": "application/x-www-form-urlencoded"}, service=None,
    )
    assert query.status == 403
    assert "<Code>MissingAuthenticationToken</Code>" in query.text
    assert 'xmlns="http://sns.amazonaws.com/doc/2010-03-31/"' in query.text


@pytest.mark.parametrize(
    ("service", "expected"),
    [("iot", "UnrecognizedClientException"), ("sns", "InvalidClientTokenId"), ("iam", "InvalidClientTokenId")],
)
def test_an_unknown_access_key_is_refused(api: ApiServer, service: str, expected: str) -> None:
    if api.accepts_any:
        pytest.skip("the server accepts any credentials")
    client = api.client(service, access_key_id="AKIAUNKNOWNKEY000000", secret_access_key="x" * 40)
    call = {
        "iot": lambda: client.describe_endpoint(),
        "sns": lambda: client.list_topics(),
        "iam": lambda: client.list_roles(),
    }[service]
    code, status, _ = error_of(call)
    assert (code, status) == (expected, 403)


@pytest.mark.parametrize(
    ("service", "expected"),
    [("iot", "InvalidSignatureException"), ("sns", "SignatureDoesNotMatch"), ("iam", "SignatureDoesNotMatch")],
)
def test_a_wrong_secret_is_refused(api: ApiServer, service: str, expected: str) -> None:
    client = api.client(service, secret_access_key="not-the-secret-" + "x" * 25)
    call = {
        "iot": lambda: client.describe_endpoint(),
        "sns": lambda: client.list_topics(),
        "iam": lambda: client.list_roles(),
    }[service]
    code, status, _ = error_of(call)
    assert (code, status) == (expected, 403)


def test_a_tampered_body_is_refused(api: ApiServer) -> None:
    signed = botocore.awsrequest.AWSRequest(
        method="POST", url=api.url + "/things/tampered", data=b"{}", headers={"Content-Type": "application/json"}
    )
    credentials = botocore.credentials.Credentials(api.access_key_id, api.secret_access_key)
    botocore.auth.SigV4Auth(credentials, "iot", "us-east-1").add_auth(signed)
    prepared = signed.prepare()
    headers = {k: v for k, v in prepared.headers.items() if k.lower() != "x-amz-content-sha256"}
    request = urllib.request.Request(prepared.url, data=b'{"thingTypeName":"x"}', method="POST", headers=headers)
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=30)
    assert raised.value.code == 403
    assert raised.value.headers["x-amzn-ErrorType"].startswith("InvalidSignatureException")


def skew_signing_clock(monkeypatch: pytest.MonkeyPatch, now: datetime.datetime) -> None:
    """Makes botocore sign as if it were ``now`` (an aware UTC time), whichever signer it uses:
    its own, or the CRT one it switches to when awscrt is installed (awsiotsdk brings it)."""

    def current(remove_tzinfo: bool = True) -> datetime.datetime:
        return now.replace(tzinfo=None) if remove_tzinfo else now

    monkeypatch.setattr(botocore.auth, "get_current_datetime", current)
    try:
        import botocore.crt.auth as crt_auth
    except ImportError:
        return
    monkeypatch.setattr(crt_auth, "get_current_datetime", current, raising=False)


@pytest.mark.parametrize(("minutes", "prefix"), [(-20, "Signature expired"), (20, "Signature not yet current")])
def test_a_request_outside_the_clock_skew_window_is_refused(
    api: ApiServer, monkeypatch: pytest.MonkeyPatch, minutes: int, prefix: str
) -> None:
    skewed = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=minutes)
    skew_signing_clock(monkeypatch, skewed)
    code, status, message = error_of(lambda: api.client("iot").describe_endpoint())
    assert (code, status) == ("InvalidSignatureException", 403)
    assert message.startswith(prefix)


def test_a_request_within_the_window_is_accepted(api: ApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    skewed = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=10)
    skew_signing_clock(monkeypatch, skewed)
    assert api.client("iot").describe_endpoint()["endpointAddress"] == api.public_host


def test_a_presigned_url_works(api: ApiServer) -> None:
    url = api.client("iot").generate_presigned_url("describe_endpoint", Params={"endpointType": "iot:Data-ATS"})
    assert "X-Amz-Signature=" in url
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        assert b'"endpointAddress"' in response.read()


def test_accept_any_credentials_admits_placeholder_keys(make_server) -> None:
    server = make_server("--accept-any-credentials")
    assert server.client("iot", "test", "test").describe_endpoint()["endpointAddress"] == server.public_host
    code, _, _ = error_of(lambda: server.client("iot", secret_access_key="wrong-" + "x" * 34).describe_endpoint())
    assert code == "InvalidSignatureException"
