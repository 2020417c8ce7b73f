import Foundation
import Registry
import Testing

@Suite("Certificates")
struct CertificateTests {
    @Test("Register, describe and refuse duplicates", arguments: Engine.available)
    func register(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            let validity = CertificateValidity(
                notBefore: Date(timeIntervalSince1970: 1_600_000_000),
                notAfter: Date(timeIntervalSince1970: 1_900_000_000))
            let registered = try await registry.registerCertificate(
                CertificateRegistration(
                    certificateId: certificateId(1), certificatePem: "PEM", status: .active, validity: validity))
            #expect(registered.certificateArn == "arn:aws:iot:us-east-1:123456789012:cert/\(certificateId(1))")
            #expect(registered.status == .active)
            #expect(registered.ownedBy == "123456789012")
            #expect(registered.validity == validity)
            #expect(registered.creationDate == fixture.clock.now)
            #expect(registered.lastModifiedDate == fixture.clock.now)
            #expect(registered.customerVersion == 1)
            #expect(registered.certificateMode == .default)
            #expect(try await registry.describeCertificate(certificateId: certificateId(1)) == registered)
            #expect(try await registry.certificateStatus(certificateId: certificateId(1)) == .active)
            #expect(try await registry.certificateStatus(certificateId: certificateId(2)) == nil)
            let duplicate = await expectRegistryError(.resourceAlreadyExists) {
                try await registry.registerTestCertificate(1)
            }
            #expect(duplicate?.message == "The certificate is already provisioned or registered")
            #expect(duplicate?.resourceId == certificateId(1))
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.describeCertificate(certificateId: certificateId(2))
            }
            await expectRegistryError(.invalidRequest) {
                _ = try await registry.describeCertificate(certificateId: "abc")
            }
            await expectRegistryError(.invalidRequest) {
                _ = try await registry.describeCertificate(certificateId: String(repeating: "g", count: 64))
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.registerTestCertificate(3, caCertificateId: certificateId(99))
            }
        }
    }

    @Test("UpdateCertificate: allowed transitions and CertificateStateException", arguments: Engine.available)
    func update(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            try await registry.registerTestCertificate(1, status: .inactive)
            fixture.clock.advance(seconds: 10)
            try await registry.updateCertificate(certificateId: certificateId(1), newStatus: .active)
            var certificate = try await registry.describeCertificate(certificateId: certificateId(1))
            #expect(certificate.status == .active)
            #expect(certificate.lastModifiedDate == fixture.clock.now)
            #expect(certificate.customerVersion == 2)
            try await registry.updateCertificate(certificateId: certificateId(1), newStatus: .inactive)
            for status in [CertificateStatus.pendingTransfer, .pendingActivation, .registerInactive] {
                let error = await expectRegistryError(.certificateState) {
                    try await registry.updateCertificate(certificateId: certificateId(1), newStatus: status)
                }
                #expect(error?.httpStatus == 406)
            }
            try await registry.updateCertificate(certificateId: certificateId(1), newStatus: .revoked)
            await expectRegistryError(.certificateState) {
                try await registry.updateCertificate(certificateId: certificateId(1), newStatus: .active)
            }
            certificate = try await registry.describeCertificate(certificateId: certificateId(1))
            #expect(certificate.status == .revoked)
            await expectRegistryError(.resourceNotFound) {
                try await registry.updateCertificate(certificateId: certificateId(2), newStatus: .active)
            }
        }
    }

    @Test("DeleteCertificate: state, thing and policy conflicts, forceDelete", arguments: Engine.available)
    func delete(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let certificate = try await registry.registerTestCertificate(1)
            try await registry.createThing(thingName: "t")
            try await registry.createPolicy(policyName: "p", policyDocument: "{}")
            try await registry.attachThingPrincipal(thingName: "t", principal: certificate.certificateArn)
            try await registry.attachPolicy(policyName: "p", target: certificate.certificateArn)

            let active = await expectRegistryError(.certificateState) {
                try await registry.deleteCertificate(certificateId: certificateId(1))
            }
            #expect(
                active?.message
                    == "Certificate must be deactivated (not ACTIVE) before deletion. Id: \(certificateId(1))")
            try await registry.updateCertificate(certificateId: certificateId(1), newStatus: .inactive)
            let thing = await expectRegistryError(.deleteConflict) {
                try await registry.deleteCertificate(certificateId: certificateId(1), forceDelete: true)
            }
            #expect(thing?.message == "Things must be detached before deletion (arn: \(certificate.certificateArn))")
            try await registry.detachThingPrincipal(thingName: "t", principal: certificate.certificateArn)
            let policy = await expectRegistryError(.deleteConflict) {
                try await registry.deleteCertificate(certificateId: certificateId(1))
            }
            #expect(
                policy?.message
                    == "Certificate policies must be detached before deletion (arn: \(certificate.certificateArn))")
            try await registry.deleteCertificate(certificateId: certificateId(1), forceDelete: true)
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.describeCertificate(certificateId: certificateId(1))
            }
            #expect(try await registry.listTargetsForPolicy(policyName: "p").items.isEmpty)
            await expectRegistryError(.resourceNotFound) {
                try await registry.deleteCertificate(certificateId: certificateId(1))
            }
            // REVOKED can be deleted too; PENDING_TRANSFER cannot.
            try await registry.registerTestCertificate(2, status: .revoked)
            try await registry.deleteCertificate(certificateId: certificateId(2))
            try await registry.registerTestCertificate(3, status: .pendingTransfer)
            await expectRegistryError(.certificateState) {
                try await registry.deleteCertificate(certificateId: certificateId(3))
            }
        }
    }

    @Test("ListCertificates pages by creation date, both orders, ties by id", arguments: Engine.available)
    func list(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            // Two certificates per millisecond, to exercise the tie-breaker.
            for number in 1...9 {
                try await registry.registerTestCertificate(number)
                if number.isMultiple(of: 2) { fixture.clock.advance(seconds: 1) }
            }
            let ascending = try await registry.collect {
                try await registry.listCertificates(pageSize: 2, marker: $0, ascendingOrder: true)
            }
            #expect(ascending.items.map(\.certificateId) == (1...9).map(certificateId))
            #expect(ascending.pages == 5)
            let descending = try await registry.collect { try await registry.listCertificates(pageSize: 4, marker: $0) }
            #expect(descending.items.map(\.certificateId) == (1...9).reversed().map(certificateId))
            #expect(descending.pages == 3)
            let first = try #require(ascending.items.first)
            #expect(first.certificateArn == certificateArn(1))
            #expect(first.status == .active)
            await expectRegistryError(.invalidRequest) { _ = try await registry.listCertificates(pageSize: 0) }
            await expectRegistryError(.invalidRequest) { _ = try await registry.listCertificates(marker: "???") }
        }
    }

    @Test("ListCertificatesByCA keeps the CA's certificates", arguments: Engine.available)
    func listByCA(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.registerCACertificate(
                CACertificateRegistration(certificateId: certificateId(100), certificatePem: "CA", status: .active))
            try await registry.registerTestCertificate(1, caCertificateId: certificateId(100))
            try await registry.registerTestCertificate(2)
            try await registry.registerTestCertificate(3, caCertificateId: certificateId(100))
            let page = try await registry.listCertificatesByCA(
                caCertificateId: certificateId(100), ascendingOrder: true)
            #expect(page.items.map(\.certificateId) == [certificateId(1), certificateId(3)])
            #expect(
                try await registry.describeCertificate(certificateId: certificateId(1)).caCertificateId
                    == certificateId(100))
            let paged = try await registry.collect {
                try await registry.listCertificatesByCA(caCertificateId: certificateId(100), pageSize: 1, marker: $0)
            }
            #expect(paged.items.count == 2)
            #expect(paged.pages == 2)
        }
    }
}
