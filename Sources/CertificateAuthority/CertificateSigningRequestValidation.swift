import Crypto
import X509
import _CryptoExtras

/// Reading and checking the PKCS#10 requests of `CreateCertificateFromCsr`.
enum CertificateSigningRequestValidation {
    /// The single request in `pem` (`CERTIFICATE REQUEST`, or the older `NEW CERTIFICATE REQUEST`).
    static func parse(pem: String) throws -> CertificateSigningRequest {
        let blocks: [PEM.Block]
        do {
            blocks = try PEM.blocks(in: pem)
        } catch let error as CertificateAuthorityError {
            throw CertificateAuthorityError(.malformedCertificateSigningRequest, error.reason)
        }
        let requests = blocks.filter { $0.label == "CERTIFICATE REQUEST" || $0.label == "NEW CERTIFICATE REQUEST" }
        guard requests.count == 1, let block = requests.first else {
            throw CertificateAuthorityError(
                .malformedCertificateSigningRequest,
                "expected one '-----BEGIN CERTIFICATE REQUEST-----' block, found \(requests.count)"
            )
        }
        do {
            return try CertificateSigningRequest(derEncoded: block.derBytes)
        } catch {
            throw CertificateAuthorityError(
                .malformedCertificateSigningRequest,
                "not a DER PKCS#10 certificate signing request: \(error)"
            )
        }
    }

    /// Throws unless `request` is signed by its own key and that key is one Thingport issues for.
    static func validate(_ request: CertificateSigningRequest) throws {
        try requireSupportedKey(request.publicKey)
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw CertificateAuthorityError(
                .invalidCertificateSigningRequestSignature,
                "the request's signature does not verify with the public key it carries"
            )
        }
    }

    /// RSA of at least 2048 bits or ECDSA on P-256, P-384 or P-521, as AWS IoT accepts.
    static func requireSupportedKey(_ key: Certificate.PublicKey) throws {
        if let rsa = _RSA.Signing.PublicKey(key) {
            guard rsa.keySizeInBits >= 2048 else {
                throw CertificateAuthorityError(
                    .unsupportedKey,
                    "RSA keys must have at least 2048 bits, this one has \(rsa.keySizeInBits)"
                )
            }
            return
        }
        if P256.Signing.PublicKey(key) != nil || P384.Signing.PublicKey(key) != nil
            || P521.Signing.PublicKey(key) != nil
        {
            return
        }
        throw CertificateAuthorityError(
            .unsupportedKey,
            "only RSA (2048 bits or more) and ECDSA P-256, P-384 and P-521 keys are supported"
        )
    }
}
