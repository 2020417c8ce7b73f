#!/usr/bin/env python3
"""Generates Sources/ControlPlane/Generated/*.swift from botocore's service models.

botocore's models (installed with boto3) are the specification of Thingport's HTTP API:
operation names, HTTP methods and paths, member names and locations, constraints and
error codes. This script keeps, for each service, only the operations Thingport serves
(OPERATIONS below) and the shapes reachable from them, and writes one compact Swift file
per service describing them as `ServiceModel` values.

Usage (from the repository root):

    pip install boto3            # botocore provides the models
    python3 scripts/gen-aws-models.py [--check]

`--check` writes nothing and exits 1 when a generated file is out of date.
"""

import argparse
import os
import sys

from botocore import __version__ as BOTOCORE_VERSION
from botocore.loaders import Loader

# The operations Thingport serves, per botocore service name.
OPERATIONS = {
    "iot": [
        # Things
        "CreateThing", "DescribeThing", "ListThings", "UpdateThing", "DeleteThing",
        # Thing types
        "CreateThingType", "DescribeThingType", "ListThingTypes", "DeprecateThingType", "DeleteThingType",
        # Thing groups
        "CreateThingGroup", "DescribeThingGroup", "ListThingGroups", "UpdateThingGroup", "DeleteThingGroup",
        "AddThingToThingGroup", "RemoveThingFromThingGroup", "ListThingsInThingGroup", "ListThingGroupsForThing",
        # Certificates
        "CreateKeysAndCertificate", "CreateCertificateFromCsr", "RegisterCACertificate", "DescribeCACertificate",
        "ListCACertificates", "UpdateCACertificate", "DeleteCACertificate", "GetRegistrationCode",
        "RegisterCertificate", "RegisterCertificateWithoutCA", "DescribeCertificate", "ListCertificates",
        "ListCertificatesByCA", "UpdateCertificate", "DeleteCertificate",
        # IoT policies
        "CreatePolicy", "GetPolicy", "ListPolicies", "DeletePolicy", "CreatePolicyVersion", "GetPolicyVersion",
        "ListPolicyVersions", "SetDefaultPolicyVersion", "DeletePolicyVersion", "AttachPolicy", "DetachPolicy",
        "ListAttachedPolicies", "ListTargetsForPolicy", "GetEffectivePolicies", "AttachPrincipalPolicy",
        "DetachPrincipalPolicy", "ListPrincipalPolicies", "ListPolicyPrincipals", "TestAuthorization",
        # Principals
        "AttachThingPrincipal", "DetachThingPrincipal", "ListThingPrincipals", "ListPrincipalThings",
        # Endpoint
        "DescribeEndpoint",
        # Topic rules
        "CreateTopicRule", "GetTopicRule", "ListTopicRules", "ReplaceTopicRule", "DeleteTopicRule",
        "EnableTopicRule", "DisableTopicRule",
        # Tags
        "TagResource", "UntagResource", "ListTagsForResource",
    ],
    "iot-data": ["Publish", "GetRetainedMessage", "ListRetainedMessages"],
    "sns": [
        "CreateTopic", "DeleteTopic", "ListTopics", "GetTopicAttributes", "SetTopicAttributes", "Subscribe",
        "ConfirmSubscription", "Unsubscribe", "ListSubscriptions", "ListSubscriptionsByTopic",
        "GetSubscriptionAttributes", "SetSubscriptionAttributes", "Publish", "PublishBatch", "TagResource",
        "UntagResource", "ListTagsForResource",
    ],
    "iam": [
        "CreateRole", "GetRole", "ListRoles", "UpdateRole", "UpdateAssumeRolePolicy", "DeleteRole",
        "CreatePolicy", "GetPolicy", "ListPolicies", "DeletePolicy", "CreatePolicyVersion", "GetPolicyVersion",
        "ListPolicyVersions", "SetDefaultPolicyVersion", "DeletePolicyVersion", "AttachRolePolicy",
        "DetachRolePolicy", "ListAttachedRolePolicies", "ListEntitiesForPolicy", "PutRolePolicy", "GetRolePolicy",
        "DeleteRolePolicy", "ListRolePolicies",
    ],
}

# Swift identifiers of the generated `ServiceModel` statics.
SWIFT_NAMES = {"iot": "iot", "iot-data": "iotData", "sns": "sns", "iam": "iam"}
FILE_NAMES = {"iot": "ServiceModel+IoT.swift", "iot-data": "ServiceModel+IoTData.swift",
              "sns": "ServiceModel+SNS.swift", "iam": "ServiceModel+IAM.swift"}
TITLES = {"iot": "AWS IoT", "iot-data": "AWS IoT Data Plane", "sns": "Amazon SNS", "iam": "AWS IAM"}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Sources", "ControlPlane", "Generated")

SCALAR_KINDS = {"string", "integer", "long", "double", "float", "boolean", "timestamp", "blob"}


def swift_string(value):
    """A Swift string literal; raw (#"…"#) when it holds a backslash or a quote."""
    if "\\" in value or '"' in value:
        hashes = "#"
        while ('"' + hashes) in value:
            hashes += "#"
        return hashes + '"' + value + '"' + hashes
    return '"' + value + '"'


def swift_number(value):
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return repr(number)


def reachable_shapes(model, operations):
    shapes = model["shapes"]
    seen = []
    seen_set = set()
    stack = []
    for name in operations:
        op = model["operations"][name]
        for key in ("input", "output"):
            if key in op:
                stack.append(op[key]["shape"])
        for error in op.get("errors", []):
            stack.append(error["shape"])
    while stack:
        name = stack.pop()
        if name in seen_set:
            continue
        seen_set.add(name)
        seen.append(name)
        shape = shapes[name]
        kind = shape["type"]
        if kind == "structure":
            for member in shape.get("members", {}).values():
                stack.append(member["shape"])
        elif kind == "list":
            stack.append(shape["member"]["shape"])
        elif kind == "map":
            stack.append(shape["key"]["shape"])
            stack.append(shape["value"]["shape"])
    return sorted(seen)


def constraint_arguments(shape):
    args = []
    if "min" in shape:
        args.append("min: " + swift_number(shape["min"]))
    if "max" in shape:
        args.append("max: " + swift_number(shape["max"]))
    if "pattern" in shape:
        args.append("pattern: " + swift_string(shape["pattern"]))
    if "enum" in shape:
        args.append("enumValues: [" + ", ".join(swift_string(v) for v in shape["enum"]) + "]")
    return args


def member_line(name, member, required, indent):
    args = [swift_string(name), swift_string(member["shape"])]
    location = member.get("location")
    location_name = member.get("locationName")
    if location == "uri":
        args.append(".uri(" + swift_string(location_name) + ")")
    elif location == "querystring":
        args.append(".querystring(" + swift_string(location_name) + ")")
    elif location == "header":
        args.append(".header(" + swift_string(location_name) + ")")
    elif location == "headers":
        args.append(".headers(prefix: " + swift_string(location_name or "") + ")")
    elif location == "statusCode":
        args.append(".statusCode")
    elif location is not None:
        raise SystemExit("unknown member location %r" % location)
    elif location_name is not None:
        args.append("xmlName: " + swift_string(location_name))
    if required:
        args.append("required: true")
    if member.get("jsonvalue"):
        args.append("jsonValue: true")
    if member.get("timestampFormat"):
        args.append("timestampFormat: " + swift_string(member["timestampFormat"]))
    return indent + ".init(" + ", ".join(args) + "),"


def shape_lines(name, shape):
    kind = shape["type"]
    lines = []
    if kind == "structure":
        required = set(shape.get("required", []))
        args = [swift_string(name)]
        extra = []
        if "payload" in shape:
            extra.append("payload: " + swift_string(shape["payload"]))
        if shape.get("exception"):
            error = shape.get("error", {})
            error_args = ["status: " + str(error.get("httpStatusCode", 400))]
            if "code" in error:
                error_args.append("code: " + swift_string(error["code"]))
            if error.get("senderFault") is False or shape.get("fault"):
                error_args.append("senderFault: false")
            extra.append("error: .init(" + ", ".join(error_args) + ")")
        members = shape.get("members", {})
        if not members:
            lines.append("    .structure(" + ", ".join(args + ["[]"] + extra) + "),")
            return lines
        lines.append("    .structure(")
        lines.append("        " + swift_string(name) + ",")
        lines.append("        [")
        for member_name, member in members.items():
            lines.append(member_line(member_name, member, member_name in required, "            "))
        lines.append("        ]" + ("," if extra else ""))
        for index, item in enumerate(extra):
            lines.append("        " + item + ("," if index < len(extra) - 1 else ""))
        lines.append("    ),")
        return lines
    if kind == "list":
        member = shape["member"]
        args = [swift_string(name), "member: " + swift_string(member["shape"])]
        if "locationName" in member:
            args.append("memberXMLName: " + swift_string(member["locationName"]))
        if shape.get("flattened"):
            args.append("flattened: true")
        args += constraint_arguments(shape)
        lines.append("    .list(" + ", ".join(args) + "),")
        return lines
    if kind == "map":
        key, value = shape["key"], shape["value"]
        args = [swift_string(name), "key: " + swift_string(key["shape"]), "value: " + swift_string(value["shape"])]
        if "locationName" in key:
            args.append("keyXMLName: " + swift_string(key["locationName"]))
        if "locationName" in value:
            args.append("valueXMLName: " + swift_string(value["locationName"]))
        if shape.get("flattened"):
            args.append("flattened: true")
        args += constraint_arguments(shape)
        lines.append("    .map(" + ", ".join(args) + "),")
        return lines
    if kind in SCALAR_KINDS:
        args = [swift_string(name), "." + kind] + constraint_arguments(shape)
        if "timestampFormat" in shape:
            args.append("timestampFormat: " + swift_string(shape["timestampFormat"]))
        lines.append("    .scalar(" + ", ".join(args) + "),")
        return lines
    raise SystemExit("unsupported shape type %r (%s)" % (kind, name))


def operation_line(op):
    http = op["http"]
    args = [swift_string(op["name"]), swift_string(http["method"]), swift_string(http["requestUri"])]
    if "input" in op:
        args.append("input: " + swift_string(op["input"]["shape"]))
    if "output" in op:
        args.append("output: " + swift_string(op["output"]["shape"]))
        if "resultWrapper" in op["output"]:
            args.append("resultWrapper: " + swift_string(op["output"]["resultWrapper"]))
    if "responseCode" in http:
        args.append("responseCode: " + str(http["responseCode"]))
    errors = [e["shape"] for e in op.get("errors", [])]
    args.append("errors: [" + ", ".join(swift_string(e) for e in errors) + "]")
    return "            .init(" + ", ".join(args) + "),"


def generate(service):
    model = Loader().load_service_model(service, "service-2")
    metadata = model["metadata"]
    operations = OPERATIONS[service]
    missing = [name for name in operations if name not in model["operations"]]
    if missing:
        raise SystemExit("%s: operations not in botocore's model: %s" % (service, ", ".join(missing)))
    protocol = {"rest-json": ".restJSON", "query": ".query"}[metadata["protocol"]]
    swift_name = SWIFT_NAMES[service]
    shapes_name = swift_name + "Shapes"
    shape_names = reachable_shapes(model, operations)

    out = []
    out.append("// Generated by scripts/gen-aws-models.py from botocore %s (%s %s). Do not edit."
               % (BOTOCORE_VERSION, service, metadata["apiVersion"]))
    out.append("// Regenerate with `python3 scripts/gen-aws-models.py` after changing the operation lists there.")
    out.append("// swift-format-ignore-file")
    out.append("")
    out.append("extension ServiceModel {")
    out.append("    /// %s (botocore `%s`, API version %s): the %d operations Thingport serves."
               % (TITLES[service], service, metadata["apiVersion"], len(operations)))
    out.append("    public static let %s = ServiceModel(" % swift_name)
    out.append("        name: %s," % swift_string(service))
    out.append("        signingName: %s," % swift_string(metadata.get("signingName", metadata["endpointPrefix"])))
    out.append("        wireProtocol: %s," % protocol)
    out.append("        apiVersion: %s," % swift_string(metadata["apiVersion"]))
    if "xmlNamespace" in metadata:
        out.append("        xmlNamespace: %s," % swift_string(metadata["xmlNamespace"]))
    out.append("        operations: [")
    for name in operations:
        out.append(operation_line(model["operations"][name]))
    out.append("        ],")
    out.append("        shapes: %s" % shapes_name)
    out.append("    )")
    out.append("}")
    out.append("")
    out.append("private let %s: [ShapeModel] = [" % shapes_name)
    for name in shape_names:
        out.extend(shape_lines(name, model["shapes"][name]))
    out.append("]")
    out.append("")
    return FILE_NAMES[service], "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a generated file is out of date")
    arguments = parser.parse_args()
    stale = []
    os.makedirs(OUT_DIR, exist_ok=True)
    for service in OPERATIONS:
        file_name, text = generate(service)
        path = os.path.join(OUT_DIR, file_name)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current == text:
            continue
        if arguments.check:
            stale.append(file_name)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            print("wrote", os.path.relpath(path, ROOT))
    if stale:
        print("out of date:", ", ".join(stale), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
