"""Registers the benchmark's client certificate with Thingport, as a device maker would with
boto3: RegisterCertificateWithoutCA (ACTIVE), CreatePolicy, AttachPolicy.

    python3 provision_device.py API_URL DATA_DIR CERT_PEM POLICY_JSON
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import boto3


def main(api_url: str, data_dir: str, cert_pem: str, policy_json: str) -> None:
    keys = json.loads((Path(data_dir) / "secret.key").read_text())
    iot = boto3.client(
        "iot",
        endpoint_url=api_url,
        region_name=keys["REGION_NAME"],
        aws_access_key_id=keys["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
    )
    arn = iot.register_certificate_without_ca(certificatePem=Path(cert_pem).read_text(), status="ACTIVE")[
        "certificateArn"
    ]
    iot.create_policy(policyName="bench-device", policyDocument=Path(policy_json).read_text())
    iot.attach_policy(policyName="bench-device", target=arn)
    print(arn)


if __name__ == "__main__":
    main(*sys.argv[1:5])
