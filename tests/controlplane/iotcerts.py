"""Certificates for the iot suites, made with the ``openssl`` command line: customer CAs,
certificate signing requests, certificates they sign, and checks of what Thingport issued."""

from __future__ import annotations

import hashlib
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path


def openssl(*arguments: str, stdin: str | None = None) -> str:
    """Runs ``openssl`` and returns its standard output (raises on failure)."""
    result = subprocess.run(["openssl", *arguments], input=stdin, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(arguments)} failed: {result.stderr}")
    return result.stdout


@dataclass
class CA:
    """A customer CA: its key and certificate files and the certificate PEM."""

    key: Path
    cert: Path
    pem: str


def new_ca(directory: Path, common_name: str) -> CA:
    """A self-signed CA (P-256, CA:TRUE, keyCertSign) named ``CN=common_name``."""
    stem = directory / f"ca-{uuid.uuid4().hex[:8]}"
    key, cert = stem.with_suffix(".key"), stem.with_suffix(".pem")
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(key))
    openssl("req", "-x509", "-new", "-key", str(key), "-out", str(cert), "-days", "365", "-subj", f"/O=Acme/CN={common_name}",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return CA(key, cert, cert.read_text())


def new_csr(directory: Path, common_name: str) -> str:
    """A PKCS#10 request (PEM) for a new P-256 key with ``CN=common_name``."""
    key = directory / f"csr-{uuid.uuid4().hex[:8]}.key"
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(key))
    return openssl("req", "-new", "-key", str(key), "-subj", f"/CN={common_name}")


def sign(directory: Path, ca: CA, common_name: str) -> str:
    """A certificate (PEM) that ``ca`` signs for a new key with ``CN=common_name``."""
    csr = directory / f"req-{uuid.uuid4().hex[:8]}.csr"
    csr.write_text(new_csr(directory, common_name))
    return openssl("x509", "-req", "-in", str(csr), "-CA", str(ca.cert), "-CAkey", str(ca.key), "-CAcreateserial",
                   "-days", "30", "-sha256")


def certificate_id(pem: str) -> str:
    """AWS's certificate id: lowercase hex SHA-256 of the DER."""
    der = subprocess.run(["openssl", "x509", "-outform", "DER"], input=pem.encode(), capture_output=True,
                         check=True).stdout
    return hashlib.sha256(der).hexdigest()


def verify(ca_file: Path, pem: str, directory: Path) -> subprocess.CompletedProcess:
    """``openssl verify -CAfile ca_file`` of ``pem``."""
    leaf = directory / f"leaf-{uuid.uuid4().hex[:8]}.pem"
    leaf.write_text(pem)
    return subprocess.run(["openssl", "verify", "-CAfile", str(ca_file), str(leaf)], capture_output=True, text=True)


def unique(prefix: str, separator: str = "-") -> str:
    """A name no other test uses (the suite shares one server); rule names need ``_``."""
    return f"{prefix}{separator}{uuid.uuid4().hex[:10]}"
