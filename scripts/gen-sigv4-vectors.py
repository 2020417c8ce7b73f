#!/usr/bin/env python3
"""Generate SigV4 test vectors for AWSWire from botocore's own signers.

Every vector is a request built the way boto3 builds it (botocore's serializers
for the iot, iot-data, sns and iam service models, plus a few hand-made
requests for edge cases), signed by botocore's ``SigV4Auth`` or
``SigV4QueryAuth`` with fixed credentials at a fixed instant. Each vector
records:

- ``unsigned``: the request handed to the signer (what a Swift client would
  give ``SigV4Signer``);
- ``wire``: the request as it goes out on the wire after signing (method, raw
  percent-encoded path, raw query, every header including the unsigned
  ``Content-Length``, the body) -- what Thingport's server would receive;
- botocore's canonical request, string to sign and signature, recorded as
  ``add_auth`` computes them, and the ``Authorization`` header (or, presigned,
  ``expires``; the signature is then the query's ``X-Amz-Signature``).

Time is frozen by patching ``botocore.auth.get_current_datetime``:
``add_auth`` reads the clock once and stores it in
``request.context['timestamp']``, from which everything else is derived; the
script checks the stored timestamp afterwards.

Usage: python3 scripts/gen-sigv4-vectors.py  (needs boto3/botocore:
``pip install boto3``). Writes Tests/AWSWireTests/Vectors/botocore-sigv4.json.
"""

import base64
import datetime
import hashlib
import json
import os
import sys
from unittest import mock
from urllib.parse import urlsplit

import botocore
import botocore.auth
import botocore.session
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest, create_request_object, prepare_request_dict
from botocore.credentials import Credentials
from botocore.serialize import create_serializer

FIXED_NOW = datetime.datetime(2015, 8, 30, 12, 36, 0)
TIMESTAMP = "20150830T123600Z"
REGION = "us-east-1"
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token=="
LOCAL = "http://localhost:8080"
USER_AGENT = "Boto3/1.0 md/Botocore#1.0 ua/2.1 os/linux lang/python#3.11"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "AWSWireTests", "Vectors", "botocore-sigv4.json")

_session = botocore.session.get_session()
_models = {}


def service_model(name):
    if name not in _models:
        _models[name] = _session.get_service_model(name)
    return _models[name]


def serialized_request(service, operation, params, endpoint=LOCAL):
    """Build an AWSRequest exactly as a boto3 client would, minus signing."""
    model = service_model(service)
    op = model.operation_model(operation)
    serializer = create_serializer(model.metadata["protocol"], include_validation=True)
    request_dict = serializer.serialize_to_request(params, op)
    prepare_request_dict(request_dict, endpoint_url=endpoint, user_agent=USER_AGENT)
    request = create_request_object(request_dict)
    return request, model.metadata.get("signingName", model.metadata["endpointPrefix"])


def raw_request(method, url, headers=(), body=b""):
    request = AWSRequest(method=method, url=url, data=body)
    for name, value in headers:
        # HTTPHeaders appends on assignment, so repeated names stay repeated.
        request.headers[name] = value
    return request


def snapshot(request):
    """The request as plain data: method, raw path, raw query, headers, body.

    Headers come from the AWSRequest itself (botocore's prepare() folds
    repeated names into one), with what the HTTP client adds on the wire: a
    Host header derived from the URL, as http.client sends it, and the
    Content-Length that prepare() computes.
    """
    prepared = request.prepare()
    parts = urlsplit(prepared.url)
    body = prepared.body
    if body is None:
        body = b""
    elif isinstance(body, str):
        body = body.encode("utf-8")
    headers = [[k, v] for k, v in request.headers.items()]
    if not any(k.lower() == "host" for k, _ in headers):
        headers.insert(0, ["Host", botocore.auth._host_from_url(prepared.url)])
    if "Content-Length" in prepared.headers and "Content-Length" not in request.headers:
        headers.append(["Content-Length", prepared.headers["Content-Length"]])
    return {
        "method": prepared.method,
        "path": parts.path,
        "query": parts.query,
        "headers": headers,
        "body": base64.b64encode(bytes(body)).decode("ascii"),
    }


def frozen_clock(*_args, **_kwargs):
    return FIXED_NOW


def sign(name, description, request, signing_name, *, presign_expires=None, token=None,
         context=None):
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, token)
    if context:
        request.context.update(context)
    unsigned = snapshot(request)
    # Content-Length is added by prepare(); the signer never sees it.
    unsigned["headers"] = [h for h in unsigned["headers"] if h[0] != "Content-Length"]
    if presign_expires is None:
        signer = SigV4Auth(credentials, signing_name, REGION)
    else:
        signer = SigV4QueryAuth(credentials, signing_name, REGION, expires=presign_expires)
    # Record botocore's intermediate strings as add_auth computes them.
    recorded = {}
    original_canonical = signer.canonical_request
    original_string_to_sign = signer.string_to_sign
    original_signature = signer.signature

    def canonical_request(req):
        recorded["canonical"] = original_canonical(req)
        return recorded["canonical"]

    def string_to_sign(req, canonical):
        recorded["sts"] = original_string_to_sign(req, canonical)
        return recorded["sts"]

    def signature_of(sts, req):
        recorded["signature"] = original_signature(sts, req)
        return recorded["signature"]

    signer.canonical_request = canonical_request
    signer.string_to_sign = string_to_sign
    signer.signature = signature_of
    with mock.patch.object(botocore.auth, "get_current_datetime", frozen_clock):
        signer.add_auth(request)
    assert request.context["timestamp"] == TIMESTAMP, request.context["timestamp"]
    canonical = recorded["canonical"]
    string_to_sign = recorded["sts"]
    signature = recorded["signature"]

    wire = snapshot(request)
    vector = {
        "name": name,
        "description": description,
        "service": signing_name,
        "region": REGION,
        "accessKeyId": ACCESS_KEY,
        "secretAccessKey": SECRET_KEY,
        "sessionToken": token,
        "timestamp": TIMESTAMP,
        "kind": "header" if presign_expires is None else "presigned",
        "signsPayload": request.context.get("payload_signing_enabled", True),
        "unsigned": unsigned,
        "wire": wire,
        "payloadHash": hashlib.sha256(base64.b64decode(wire["body"])).hexdigest(),
        "canonicalRequest": canonical,
        "stringToSign": string_to_sign,
        "signature": signature,
    }
    if presign_expires is None:
        authorization = request.headers["Authorization"]
        assert authorization.endswith("Signature=" + signature), authorization
        vector["authorization"] = authorization
    else:
        assert request.url.endswith("&X-Amz-Signature=" + signature), request.url
        vector["expires"] = presign_expires
    return vector


def cases():
    out = []

    def add(name, description, request_and_signing_name, **kwargs):
        request, signing_name = request_and_signing_name
        out.append(sign(name, description, request, signing_name, **kwargs))

    # --- iot, rest-json ----------------------------------------------------
    add("iot-describe-thing", "GET /things/NAME, the plain case",
        serialized_request("iot", "DescribeThing", {"thingName": "my-thing_1"}))
    add("iot-describe-thing-colon", "thing name with ':' is sent as %3A and signed double-encoded",
        serialized_request("iot", "DescribeThing", {"thingName": "my:thing_01-a"}))
    add("iot-describe-thing-space", "a space in a label arrives as %20 (signed as %2520)",
        serialized_request("iot", "DescribeThing", {"thingName": "a b"}))
    add("iot-create-thing", "POST with a JSON body",
        serialized_request("iot", "CreateThing", {
            "thingName": "sensor-42",
            "thingTypeName": "TempSensor",
            "attributePayload": {"attributes": {"room": "kitchen", "floor": "2"}},
        }))
    add("iot-update-thing", "PATCH with a JSON body",
        serialized_request("iot", "UpdateThing", {
            "thingName": "sensor-42",
            "expectedVersion": 3,
            "attributePayload": {"attributes": {"room": "hall"}, "merge": True},
        }))
    add("iot-delete-thing", "DELETE with a query parameter",
        serialized_request("iot", "DeleteThing", {"thingName": "sensor-42", "expectedVersion": 7}))
    add("iot-list-things", "GET with several query parameters in the model's (unsorted) order",
        serialized_request("iot", "ListThings", {
            "maxResults": 10,
            "attributeName": "room",
            "attributeValue": "living room/2",
            "thingTypeName": "TempSensor",
            "nextToken": "abc+def/==",
        }))
    cert_id = hashlib.sha256(b"thingport certificate").hexdigest()
    add("iot-describe-certificate", "GET /certificates/ID with a 64-hex certificate id",
        serialized_request("iot", "DescribeCertificate", {"certificateId": cert_id}))
    add("iot-update-certificate", "PUT with the new status in the query",
        serialized_request("iot", "UpdateCertificate", {
            "certificateId": cert_id, "newStatus": "INACTIVE"}))
    add("iot-create-policy", "POST /policies/NAME with a JSON policy document",
        serialized_request("iot", "CreatePolicy", {
            "policyName": "Device_Policy-1",
            "policyDocument": json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["iot:Connect", "iot:Publish"],
                    "Resource": "arn:aws:iot:us-east-1:000000000000:topic/${iot:ClientId}/*",
                }],
            }),
        }))
    add("iot-attach-thing-principal", "PUT with the principal ARN in the x-amzn-principal header",
        serialized_request("iot", "AttachThingPrincipal", {
            "thingName": "sensor-42",
            "principal": "arn:aws:iot:us-east-1:000000000000:cert/" + cert_id,
        }))
    add("iot-list-principal-things", "GET with x-amzn-principal and a query",
        serialized_request("iot", "ListPrincipalThings", {
            "principal": "arn:aws:iot:us-east-1:000000000000:cert/" + cert_id,
            "maxResults": 25,
        }))
    add("iot-create-topic-rule", "POST /rules/NAME with SQL in the body",
        serialized_request("iot", "CreateTopicRule", {
            "ruleName": "alarm_rule",
            "topicRulePayload": {
                "sql": "SELECT temperature, topic(2) AS device FROM 'devices/+/telemetry' "
                       "WHERE temperature > 30",
                "actions": [{"sns": {
                    "targetArn": "arn:aws:sns:us-east-1:000000000000:alarms",
                    "roleArn": "arn:aws:iam::000000000000:role/service-role/iot-sns",
                    "messageFormat": "RAW"}}],
                "ruleDisabled": False,
            },
        }))
    add("iot-thing-group", "GET /thing-groups/NAME",
        serialized_request("iot", "DescribeThingGroup", {"thingGroupName": "Floor_2-East"}))

    # --- iot-data (signed as "iotdata") ------------------------------------
    add("iotdata-publish", "POST /topics/TOPIC: the '/' of the topic is %2F on the wire",
        serialized_request("iot-data", "Publish", {
            "topic": "devices/d1/telemetry", "qos": 1, "payload": b"\x00\x01binary\xff"}))
    add("iotdata-get-shadow", "GET a named shadow",
        serialized_request("iot-data", "GetThingShadow", {"thingName": "sensor-42", "shadowName": "config"}))
    add("iotdata-update-shadow", "POST a shadow document",
        serialized_request("iot-data", "UpdateThingShadow", {
            "thingName": "sensor-42",
            "payload": json.dumps({"state": {"desired": {"led": "on"}}}).encode(),
        }))

    # --- sns and iam, query protocol ----------------------------------------
    add("sns-create-topic", "query POST with a form body, attributes map and tags list",
        serialized_request("sns", "CreateTopic", {
            "Name": "alarms",
            "Attributes": {"DisplayName": "Alarms & Alerts", "Policy": '{"Version":"2012-10-17"}'},
            "Tags": [{"Key": "team", "Value": "iot ops"}],
        }))
    add("sns-publish", "query POST: message with spaces, '+', '&', '=', '~' and UTF-8",
        serialized_request("sns", "Publish", {
            "TopicArn": "arn:aws:sns:us-east-1:000000000000:alarms",
            "Subject": "Temp > 30",
            "Message": "sensor-42 reads 31.5\u00b0C; a+b=c & d~e / caf\u00e9 \u2603",
            "MessageAttributes": {
                "severity": {"DataType": "String", "StringValue": "high"},
                "count": {"DataType": "Number", "StringValue": "3"},
            },
        }))
    add("sns-subscribe", "query POST: Subscribe with attributes",
        serialized_request("sns", "Subscribe", {
            "TopicArn": "arn:aws:sns:us-east-1:000000000000:alarms",
            "Protocol": "email",
            "Endpoint": "ops+alarms@example.com",
            "Attributes": {"RawMessageDelivery": "false"},
            "ReturnSubscriptionArn": True,
        }))
    add("iam-list-users", "query POST: the smallest IAM call",
        serialized_request("iam", "ListUsers", {}))
    add("iam-create-role", "query POST: a role with a path and a trust policy",
        serialized_request("iam", "CreateRole", {
            "RoleName": "iot-sns",
            "Path": "/service-role/",
            "AssumeRolePolicyDocument": json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "iot.amazonaws.com"},
                               "Action": "sts:AssumeRole"}],
            }),
        }))
    add("iam-session-token", "temporary credentials: X-Amz-Security-Token is signed",
        serialized_request("iam", "GetUser", {"UserName": "alice"}), token=SESSION_TOKEN)

    # --- hand-made requests for edge cases ------------------------------------
    add("query-edge-cases",
        "raw query with unsorted, repeated, empty-valued and value-less keys, upper case and "
        "encoded characters",
        (raw_request("GET",
                     LOCAL + "/things?zeta=1&Alpha=2&alpha=b&alpha=a&empty=&flag"
                             "&sp=a%20b&tilde=~x&star=%2A&pct=%25&slash=%2F&utf=%E2%98%83&a-b=1&a=",
                     headers=[("Host", "localhost:8080"), ("User-Agent", USER_AGENT)]), "iot"))
    add("header-whitespace-duplicates",
        "headers with leading/trailing/inner runs of spaces and tabs, and repeated names",
        (raw_request("GET", LOCAL + "/things/sensor-42",
                     headers=[("Host", "localhost:8080"),
                              ("X-Custom", "  a   b \t c  "),
                              ("X-Dup", "one"),
                              ("x-dup", "  two  "),
                              ("X-Dup", "three,four"),
                              ("X-Empty", ""),
                              ("User-Agent", USER_AGENT)]), "iot"))
    add("path-dot-segments",
        "raw path with '//', '.' and '..' segments, normalized before signing",
        (raw_request("GET", LOCAL + "/things//a/./b/../c/",
                     headers=[("Host", "localhost:8080")]), "iot"))
    add("https-unsigned-payload",
        "https with payload signing disabled: x-amz-content-sha256 UNSIGNED-PAYLOAD",
        serialized_request("iot", "DescribeThing", {"thingName": "sensor-42"},
                           endpoint="https://iot.us-east-1.amazonaws.com"),
        context={"payload_signing_enabled": False})
    add("date-header",
        "a request carrying a Date header: botocore signs with Date instead of X-Amz-Date",
        (raw_request("POST", LOCAL + "/things/sensor-42",
                     headers=[("Host", "localhost:8080"),
                              ("Date", "Thu, 01 Jan 1970 00:00:00 GMT"),
                              ("Content-Type", "application/json")],
                     body=b'{"thingTypeName":"TempSensor"}'), "iot"))

    # --- presigned URLs -----------------------------------------------------
    add("presigned-iot-get", "presigned GET of a thing, valid 5 minutes",
        (raw_request("GET", LOCAL + "/things/my%3Athing",
                     headers=[("Host", "localhost:8080")]), "iot"),
        presign_expires=300)
    add("presigned-iam-list-users", "presigned query-protocol GET with Action/Version",
        (raw_request("GET", LOCAL + "/?Action=ListUsers&Version=2010-05-08&MaxItems=5",
                     headers=[("Host", "localhost:8080")]), "iam"),
        presign_expires=3600)
    add("presigned-iotdata-token", "presigned GET with temporary credentials",
        (raw_request("GET", LOCAL + "/things/sensor-42/shadow?name=config",
                     headers=[("Host", "localhost:8080")]), "iotdata"),
        presign_expires=900, token=SESSION_TOKEN)
    return out


def main():
    vectors = cases()
    document = {
        "generator": "scripts/gen-sigv4-vectors.py",
        "botocore": botocore.__version__,
        "vectors": vectors,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    print(f"wrote {len(vectors)} vectors to {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
