import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// The rules a device certificate chain must meet, applied by swift-certificates' `Verifier`
/// to every candidate chain it builds (leaf first, trusted CA last).
///
/// Each rejection is also recorded, typed, in ``Failures`` so the verifier can report why
/// the chain failed: the `Verifier` itself only keeps a textual reason.
struct DeviceCertificatePolicy: VerifierPolicy {
    /// The rejections of one verification, in the order they happened.
    final class Failures {
        private(set) var all: [DeviceCertificateVerifier.Error] = []

        func record(_ error: DeviceCertificateVerifier.Error) {
            self.all.append(error)
        }
    }

    let verifyingCriticalExtensions: [ASN1ObjectIdentifier]
    private let validationTime: Date
    private let rfc5280: RFC5280Policy
    private let failures: Failures

    init(validationTime: Date, failures: Failures) {
        self.validationTime = validationTime
        self.rfc5280 = RFC5280Policy(fixedExpiryValidationTime: validationTime)
        self.failures = failures
        self.verifyingCriticalExtensions =
            self.rfc5280.verifyingCriticalExtensions + [
                .X509ExtensionID.extendedKeyUsage, .X509ExtensionID.subjectAlternativeName,
            ]
    }

    mutating func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        if let error = self.firstViolation(in: chain) {
            self.failures.record(error)
            let detail = error.detail
            return .failsToMeetPolicy(reason: detail)
        }
        return .meetsPolicy
    }

    private func firstViolation(in chain: UnverifiedCertificateChain) -> DeviceCertificateVerifier.Error? {
        let leaf = chain.leaf
        if case .isCertificateAuthority = try? leaf.extensions.basicConstraints {
            return .init(
                .leafIsCertificateAuthority,
                certificate: leaf,
                detail: "\(leaf.subject) is a CA certificate, not a device certificate"
            )
        }
        for certificate in chain {
            if self.validationTime < certificate.notValidBefore {
                return .init(
                    .notYetValid,
                    certificate: certificate,
                    detail: "\(certificate.subject) is not valid before \(certificate.notValidBefore)"
                )
            }
            if self.validationTime > certificate.notValidAfter {
                return .init(
                    .expired,
                    certificate: certificate,
                    detail: "\(certificate.subject) expired at \(certificate.notValidAfter)"
                )
            }
        }
        for issuer in chain.dropFirst() where !CACertificateRegistration.isCertificateAuthority(issuer) {
            return .init(
                .issuerNotCertificateAuthority,
                certificate: issuer,
                detail: "\(issuer.subject) issued a certificate but is not a CA certificate"
            )
        }
        let usages: ExtendedKeyUsage?
        do {
            usages = try leaf.extensions.extendedKeyUsage
        } catch {
            return .init(
                .notForClientAuthentication,
                certificate: leaf,
                detail: "\(leaf.subject) has a malformed extendedKeyUsage: \(error)"
            )
        }
        if let usages, !usages.contains(.clientAuth), !usages.contains(.any) {
            return .init(
                .notForClientAuthentication,
                certificate: leaf,
                detail: "\(leaf.subject) has an extendedKeyUsage without clientAuth"
            )
        }
        if case .failsToMeetPolicy(let reason) = self.rfc5280.chainMeetsPolicyRequirements(chain: chain) {
            return .init(.policyViolation, certificate: nil, detail: reason.description)
        }
        return nil
    }
}
