import Foundation
import Registry
import Testing

@Suite("CA certificates")
struct CACertificateTests {
    @Test("Register, describe, list, update, delete", arguments: Engine.available)
    func lifecycle(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            let config = RegistrationConfig(templateBody: "{}", roleArn: "arn:aws:iam::123456789012:role/jitp")
            let ca = try await registry.registerCACertificate(
                CACertificateRegistration(
                    certificateId: certificateId(1), certificatePem: "CA PEM", status: .active,
                    autoRegistrationStatus: .enable, registrationConfig: config),
                tags: [Tag(key: "env", value: "test")])
            #expect(ca.certificateArn == "arn:aws:iot:us-east-1:123456789012:cacert/\(certificateId(1))")
            #expect(ca.autoRegistrationStatus == .enable)
            #expect(ca.registrationConfig == config)
            #expect(try await registry.describeCACertificate(certificateId: certificateId(1)) == ca)
            let duplicate = await expectRegistryError(.resourceAlreadyExists) {
                try await registry.registerCACertificate(
                    CACertificateRegistration(
                        certificateId: certificateId(1), certificatePem: "CA PEM", status: .active))
            }
            #expect(duplicate?.resourceArn == ca.certificateArn)

            fixture.clock.advance(seconds: 1)
            try await registry.registerCACertificate(
                CACertificateRegistration(
                    certificateId: certificateId(2), certificatePem: "CA2", status: .inactive,
                    registrationConfig: RegistrationConfig(templateName: "tmpl")))
            #expect(
                try await registry.listCACertificates().items.map(\.certificateId) == [
                    certificateId(2), certificateId(1),
                ])
            #expect(
                try await registry.listCACertificates(ascendingOrder: true).items.map(\.certificateId)
                    == [certificateId(1), certificateId(2)])
            #expect(
                try await registry.listCACertificates(templateName: "tmpl").items.map(\.certificateId) == [
                    certificateId(2)
                ])
            let paged = try await registry.collect { try await registry.listCACertificates(pageSize: 1, marker: $0) }
            #expect(paged.items.count == 2)
            #expect(paged.pages == 2)

            try await registry.updateCACertificate(
                certificateId: certificateId(1), newStatus: .inactive, newAutoRegistrationStatus: .disable,
                removeAutoRegistration: true)
            var updated = try await registry.describeCACertificate(certificateId: certificateId(1))
            #expect(updated.status == .inactive)
            #expect(updated.autoRegistrationStatus == .disable)
            #expect(updated.registrationConfig == nil)
            #expect(updated.customerVersion == 2)
            try await registry.updateCACertificate(
                certificateId: certificateId(1), registrationConfig: RegistrationConfig(templateName: "other"))
            updated = try await registry.describeCACertificate(certificateId: certificateId(1))
            #expect(updated.registrationConfig?.templateName == "other")
            #expect(updated.status == .inactive)
            await expectRegistryError(.invalidRequest) {
                try await registry.updateCACertificate(
                    certificateId: certificateId(1), registrationConfig: RegistrationConfig(),
                    removeAutoRegistration: true)
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.updateCACertificate(certificateId: certificateId(3), newStatus: .active)
            }

            try await registry.updateCACertificate(certificateId: certificateId(1), newStatus: .active)
            await expectRegistryError(.certificateState) {
                try await registry.deleteCACertificate(certificateId: certificateId(1))
            }
            try await registry.updateCACertificate(certificateId: certificateId(1), newStatus: .inactive)
            try await registry.deleteCACertificate(certificateId: certificateId(1))
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.describeCACertificate(certificateId: certificateId(1))
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.deleteCACertificate(certificateId: certificateId(1))
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.listTagsForResource(resourceArn: ca.certificateArn)
            }
        }
    }
}
