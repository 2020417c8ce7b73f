"""Certificates made with the ``openssl`` command line, as a device maker would."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class KeyPair:
    cert: Path
    key: Path


def _openssl(*args: str | os.PathLike[str], cwd: Path | None = None) -> None:
    result = subprocess.run(["openssl", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(map(str, args))} failed:\n{result.stderr}")


def make_ca(directory: Path, name: str, cert_name: str = "ca.pem", key_name: str = "ca.key") -> KeyPair:
    """A self-signed RSA-2048 root CA."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / cert_name, directory / key_name
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3",
        "-keyout", key, "-out", cert, "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    key.chmod(0o600)
    return KeyPair(cert, key)


def _issue(directory: Path, name: str, ca: KeyPair, extensions: str) -> KeyPair:
    """RSA-2048 key → CSR → certificate signed by ``ca`` with the given v3 extensions."""
    directory.mkdir(parents=True, exist_ok=True)
    key, csr = directory / f"{name}.key", directory / f"{name}.csr"
    cert, ext = directory / f"{name}.pem", directory / f"{name}.ext"
    _openssl("genrsa", "-out", key, "2048")
    key.chmod(0o600)
    _openssl("req", "-new", "-key", key, "-out", csr, "-subj", f"/CN={name}")
    ext.write_text(extensions)
    _openssl(
        "x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial",
        "-out", cert, "-days", "2", "-sha256", "-extfile", ext,
    )  # fmt: skip
    return KeyPair(cert, key)


def make_client_cert(directory: Path, name: str, ca: KeyPair) -> KeyPair:
    """A device (TLS client) certificate signed by ``ca``."""
    return _issue(
        directory,
        name,
        ca,
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=clientAuth\n",
    )


def make_verification_cert(directory: Path, registration_code: str, ca: KeyPair) -> KeyPair:
    """The proof of possession ``RegisterCACertificate`` asks for: a certificate whose common
    name is the account's registration code, signed by the CA being registered."""
    return _issue(directory, registration_code, ca, "basicConstraints=critical,CA:FALSE\n")


def make_server_cert(directory: Path, name: str, ca: KeyPair, dns: list[str], ips: list[str]) -> KeyPair:
    """A TLS server certificate signed by ``ca`` naming ``dns`` and ``ips``."""
    san = ",".join([f"DNS:{d}" for d in dns] + [f"IP:{ip}" for ip in ips])
    return _issue(
        directory,
        name,
        ca,
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        f"subjectAltName={san}\n",
    )


def make_self_signed(directory: Path, name: str) -> KeyPair:
    """A self-signed leaf certificate (no CA at all behind it)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
        "-keyout", key, "-out", cert, "-subj", f"/CN={name}",
    )  # fmt: skip
    return KeyPair(cert, key)
