"""Device and CA certificates through boto3: issuing, registering (with a customer CA checked
against the registration code, and without a CA), describing, listing, state changes and
deletion, with AWS's errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from apiserver import ApiServer
from iotcerts import certificate_id, new_ca, new_csr, openssl, sign, unique, verify

ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"}]}'


@pytest.fixture
def iot(api: ApiServer):
    return api.client("iot")


@pytest.fixture
def root(api: ApiServer, tmp_path: Path) -> Path:
    served = api.request("GET", "/ca/root.pem", service=None)
    assert served.status == 200
    path = tmp_path / "root.pem"
    path.write_bytes(served.body)
    return path


def test_create_keys_and_certificate(iot, root: Path, tmp_path: Path) -> None:
    inactive = iot.create_keys_and_certificate()
    active = iot.create_keys_and_certificate(setAsActive=True)
    for created in (inactive, active):
        assert created["certificateId"] == certificate_id(created["certificatePem"])
        assert created["certificateArn"].endswith(f":cert/{created['certificateId']}")
        assert created["keyPair"]["PrivateKey"].startswith("-----BEGIN RSA PRIVATE KEY-----")
        assert created["keyPair"]["PublicKey"].startswith("-----BEGIN PUBLIC KEY-----")
        result = verify(root, created["certificatePem"], tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        key = tmp_path / f"{created['certificateId']}.key"
        key.write_text(created["keyPair"]["PrivateKey"])
        assert "Private-Key: (2048 bit" in openssl("rsa", "-in", str(key), "-noout", "-text")
    assert inactive["certificateId"] != active["certificateId"]

    description = iot.describe_certificate(certificateId=active["certificateId"])["certificateDescription"]
    assert description["status"] == "ACTIVE"
    assert description["certificatePem"] == active["certificatePem"]
    assert description["certificateMode"] == "DEFAULT"
    assert description["customerVersion"] == 1
    assert description["validity"]["notAfter"].year == 2049
    assert "caCertificateId" not in description
    assert "PRIVATE KEY" not in str(description)
    assert iot.describe_certificate(certificateId=inactive["certificateId"])["certificateDescription"]["status"] == "INACTIVE"
    for created in (inactive, active):
        iot.update_certificate(certificateId=created["certificateId"], newStatus="INACTIVE")
        iot.delete_certificate(certificateId=created["certificateId"])


def test_create_certificate_from_csr(iot, root: Path, tmp_path: Path) -> None:
    name = unique("sensor")
    created = iot.create_certificate_from_csr(certificateSigningRequest=new_csr(tmp_path, name), setAsActive=True)
    assert "keyPair" not in created
    assert created["certificateId"] == certificate_id(created["certificatePem"])
    assert verify(root, created["certificatePem"], tmp_path).returncode == 0
    assert name in openssl("x509", "-noout", "-subject", stdin=created["certificatePem"])
    assert iot.describe_certificate(certificateId=created["certificateId"])["certificateDescription"]["status"] == "ACTIVE"
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.create_certificate_from_csr(certificateSigningRequest="-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.create_certificate_from_csr(certificateSigningRequest="not a request")


def test_certificate_states_and_deletion(iot) -> None:
    created = iot.create_keys_and_certificate(setAsActive=True)
    certificate = created["certificateId"]
    arn = created["certificateArn"]
    thing, policy = unique("holder"), unique("policy")
    iot.create_thing(thingName=thing)
    iot.create_policy(policyName=policy, policyDocument=ALLOW_ALL)
    iot.attach_policy(policyName=policy, target=arn)
    iot.attach_thing_principal(thingName=thing, principal=arn)

    with pytest.raises(iot.exceptions.CertificateStateException) as active:
        iot.delete_certificate(certificateId=certificate)
    assert active.value.response["ResponseMetadata"]["HTTPStatusCode"] == 406
    iot.update_certificate(certificateId=certificate, newStatus="INACTIVE")
    with pytest.raises(iot.exceptions.DeleteConflictException):
        iot.delete_certificate(certificateId=certificate, forceDelete=True)  # still attached to a thing
    iot.detach_thing_principal(thingName=thing, principal=arn)
    with pytest.raises(iot.exceptions.DeleteConflictException):
        iot.delete_certificate(certificateId=certificate)  # a policy is attached
    with pytest.raises(iot.exceptions.CertificateStateException):
        iot.update_certificate(certificateId=certificate, newStatus="PENDING_ACTIVATION")
    iot.update_certificate(certificateId=certificate, newStatus="REVOKED")
    with pytest.raises(iot.exceptions.CertificateStateException):
        iot.update_certificate(certificateId=certificate, newStatus="ACTIVE")  # revocation is final
    iot.delete_certificate(certificateId=certificate, forceDelete=True)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.describe_certificate(certificateId=certificate)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.update_certificate(certificateId=certificate, newStatus="ACTIVE")
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.describe_certificate(certificateId="0" * 63 + "g")
    assert iot.list_targets_for_policy(policyName=policy)["targets"] == []
    iot.delete_policy(policyName=policy)
    iot.delete_thing(thingName=thing)


def test_list_certificates_paginator(iot, tmp_path: Path) -> None:
    ids = [iot.create_certificate_from_csr(certificateSigningRequest=new_csr(tmp_path, "d"))["certificateId"]
           for _ in range(3)]
    newest_first = [c["certificateId"] for page in iot.get_paginator("list_certificates").paginate(
        PaginationConfig={"PageSize": 2}) for c in page["certificates"]]
    positions = [newest_first.index(i) for i in ids]
    assert positions == sorted(positions, reverse=True)
    oldest_first = [c["certificateId"] for page in iot.get_paginator("list_certificates").paginate(
        ascendingOrder=True, PaginationConfig={"PageSize": 2}) for c in page["certificates"]]
    positions = [oldest_first.index(i) for i in ids]
    assert positions == sorted(positions)
    first = iot.list_certificates(pageSize=1)
    assert len(first["certificates"]) == 1 and "nextMarker" in first
    entry = first["certificates"][0]
    assert set(entry) == {"certificateArn", "certificateId", "status", "certificateMode", "creationDate"}
    for certificate in ids:
        iot.delete_certificate(certificateId=certificate)


def test_registration_code_is_stable(iot) -> None:
    code = iot.get_registration_code()["registrationCode"]
    assert len(code) == 64 and all(c in "0123456789abcdef" for c in code)
    assert iot.get_registration_code()["registrationCode"] == code


def test_register_ca_certificate(iot, tmp_path: Path) -> None:
    code = iot.get_registration_code()["registrationCode"]
    ca = new_ca(tmp_path, unique("Acme CA"))
    with pytest.raises(iot.exceptions.RegistrationCodeValidationException):
        iot.register_ca_certificate(caCertificate=ca.pem, verificationCertificate=sign(tmp_path, ca, "not-the-code"))
    impostor = new_ca(tmp_path, "Impostor")
    with pytest.raises(iot.exceptions.CertificateValidationException):
        iot.register_ca_certificate(caCertificate=ca.pem, verificationCertificate=sign(tmp_path, impostor, code))
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.register_ca_certificate(caCertificate=ca.pem)
    verification = sign(tmp_path, ca, code)
    with pytest.raises(iot.exceptions.CertificateValidationException):
        iot.register_ca_certificate(caCertificate=verification, verificationCertificate=verification)  # not a CA
    with pytest.raises(iot.exceptions.CertificateValidationException):
        iot.register_ca_certificate(caCertificate="garbage", verificationCertificate=verification)

    registered = iot.register_ca_certificate(
        caCertificate=ca.pem, verificationCertificate=verification, setAsActive=True, allowAutoRegistration=True,
        registrationConfig={"templateName": "jitp"}, tags=[{"Key": "owner", "Value": "acme"}])
    ca_id = registered["certificateId"]
    assert ca_id == certificate_id(ca.pem)
    assert registered["certificateArn"].endswith(f":cacert/{ca_id}")
    with pytest.raises(iot.exceptions.ResourceAlreadyExistsException):
        iot.register_ca_certificate(caCertificate=ca.pem, verificationCertificate=verification)

    described = iot.describe_ca_certificate(certificateId=ca_id)
    assert described["certificateDescription"]["status"] == "ACTIVE"
    assert described["certificateDescription"]["autoRegistrationStatus"] == "ENABLE"
    assert described["certificateDescription"]["certificateMode"] == "DEFAULT"
    assert described["registrationConfig"] == {"templateName": "jitp"}
    assert iot.list_tags_for_resource(resourceArn=registered["certificateArn"])["tags"] == [{"Key": "owner", "Value": "acme"}]
    listed = [c["certificateId"] for page in iot.get_paginator("list_ca_certificates").paginate(
        PaginationConfig={"PageSize": 1}) for c in page["certificates"]]
    assert ca_id in listed
    assert ca_id in [c["certificateId"] for c in iot.list_ca_certificates(templateName="jitp")["certificates"]]

    with pytest.raises(iot.exceptions.CertificateStateException):
        iot.delete_ca_certificate(certificateId=ca_id)
    iot.update_ca_certificate(certificateId=ca_id, newStatus="INACTIVE", newAutoRegistrationStatus="DISABLE",
                              removeAutoRegistration=True)
    described = iot.describe_ca_certificate(certificateId=ca_id)
    assert described["certificateDescription"]["status"] == "INACTIVE"
    assert described["certificateDescription"]["autoRegistrationStatus"] == "DISABLE"
    assert "registrationConfig" not in described
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.update_ca_certificate(certificateId=ca_id, newStatus="REVOKED")
    iot.delete_ca_certificate(certificateId=ca_id)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.describe_ca_certificate(certificateId=ca_id)

    sni = new_ca(tmp_path, unique("SNI CA"))
    sni_registered = iot.register_ca_certificate(caCertificate=sni.pem, certificateMode="SNI_ONLY")
    assert iot.describe_ca_certificate(certificateId=sni_registered["certificateId"])["certificateDescription"][
        "certificateMode"] == "SNI_ONLY"
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.register_ca_certificate(caCertificate=new_ca(tmp_path, "x").pem, certificateMode="SNI_ONLY",
                                    verificationCertificate=verification)
    iot.delete_ca_certificate(certificateId=sni_registered["certificateId"])


def test_register_certificate_with_and_without_ca(iot, tmp_path: Path) -> None:
    code = iot.get_registration_code()["registrationCode"]
    ca = new_ca(tmp_path, unique("Device CA"))
    device = sign(tmp_path, ca, "device-1")
    with pytest.raises(iot.exceptions.CertificateValidationException):
        iot.register_certificate(certificatePem=device)  # its CA is not registered
    ca_id = iot.register_ca_certificate(caCertificate=ca.pem, verificationCertificate=sign(tmp_path, ca, code))["certificateId"]
    with pytest.raises(iot.exceptions.CertificateStateException):
        iot.register_certificate(certificatePem=device)  # the CA is INACTIVE
    iot.update_ca_certificate(certificateId=ca_id, newStatus="ACTIVE")
    other = new_ca(tmp_path, unique("Other CA"))
    with pytest.raises(iot.exceptions.CertificateValidationException):
        iot.register_certificate(certificatePem=sign(tmp_path, other, "x"), caCertificatePem=ca.pem)
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.register_certificate(certificatePem=device, status="PENDING_TRANSFER")

    registered = iot.register_certificate(certificatePem=device, status="ACTIVE")
    assert registered["certificateId"] == certificate_id(device)
    description = iot.describe_certificate(certificateId=registered["certificateId"])["certificateDescription"]
    assert description["caCertificateId"] == ca_id
    assert description["status"] == "ACTIVE"
    assert description["certificatePem"] == device
    with pytest.raises(iot.exceptions.ResourceAlreadyExistsException):
        iot.register_certificate(certificatePem=device)
    second = iot.register_certificate(certificatePem=sign(tmp_path, ca, "device-2"), caCertificatePem=ca.pem,
                                      setAsActive=True)
    assert iot.describe_certificate(certificateId=second["certificateId"])["certificateDescription"]["status"] == "ACTIVE"
    by_ca = [c["certificateId"] for page in iot.get_paginator("list_certificates_by_ca").paginate(
        caCertificateId=ca_id, PaginationConfig={"PageSize": 1}) for c in page["certificates"]]
    assert sorted(by_ca) == sorted([registered["certificateId"], second["certificateId"]])

    lonely = new_ca(tmp_path, unique("Lonely")).pem
    without = iot.register_certificate_without_ca(certificatePem=lonely, status="ACTIVE")
    description = iot.describe_certificate(certificateId=without["certificateId"])["certificateDescription"]
    assert description["certificateMode"] == "SNI_ONLY"
    assert description["status"] == "ACTIVE"
    assert "caCertificateId" not in description
    with pytest.raises(iot.exceptions.CertificateValidationException):
        iot.register_certificate_without_ca(certificatePem="-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")

    for certificate in (registered["certificateId"], second["certificateId"], without["certificateId"]):
        iot.update_certificate(certificateId=certificate, newStatus="REVOKED")
        iot.delete_certificate(certificateId=certificate)
    iot.update_ca_certificate(certificateId=ca_id, newStatus="INACTIVE")
    iot.delete_ca_certificate(certificateId=ca_id)
