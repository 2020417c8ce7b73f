import Foundation
import Logging
import Testing
import X509

@testable import Thingport

@Suite("Data directory")
struct DataDirectoryTests {
    private let logger = Logger(label: "test")

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "thingport-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func firstStartCreatesSecretsWithMode0600AndLaterStartsReuseThem() throws {
        let path = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = DataDirectory(path: path)
        try directory.create()

        let root = try directory.loadOrCreateRootAuthority(logger: logger)
        let credentials = try directory.loadOrCreateCredentials(region: "eu-west-1")
        let server = try directory.loadOrIssueServerCredentials(root: root, hosts: ["localhost"], logger: logger)

        #expect(try mode(directory.file("ca/root-ca.key")) == 0o600)
        #expect(try mode(directory.file("ca/server.key")) == 0o600)
        #expect(try mode(directory.file("secret.key")) == 0o600)
        #expect(try String(contentsOfFile: directory.file("AmazonRootCA1.pem"), encoding: .utf8) == root.certificatePEM)
        #expect(credentials.accessKeyId.hasPrefix("AKIA") && credentials.accessKeyId.count == 20)
        #expect(credentials.secretAccessKey.count == 40)

        // The seed reads secret.key with these exact keys.
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: directory.file("secret.key"))))
        let object = try #require(json as? [String: String])
        #expect(Set(object.keys) == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "REGION_NAME"])
        #expect(object["REGION_NAME"] == "eu-west-1")

        let again = DataDirectory(path: path)
        #expect(try again.loadOrCreateRootAuthority(logger: logger).certificatePEM == root.certificatePEM)
        #expect(try again.loadOrCreateCredentials(region: "us-east-1") == credentials)
        let reused = try again.loadOrIssueServerCredentials(root: root, hosts: ["localhost"], logger: logger)
        #expect(reused.certificatePEM == server.certificatePEM)
    }

    @Test func theServerCertificateIsReissuedWhenThePublicHostsChange() throws {
        let path = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = DataDirectory(path: path)
        try directory.create()
        let root = try directory.loadOrCreateRootAuthority(logger: logger)
        let first = try directory.loadOrIssueServerCredentials(root: root, hosts: ["localhost"], logger: logger)
        let second = try directory.loadOrIssueServerCredentials(
            root: root,
            hosts: ["iot.example.test"],
            logger: logger
        )
        #expect(first.certificatePEM != second.certificatePEM)
        #expect(
            try root.canReuseServerCredentials(
                certificatePEM: second.certificatePEM,
                privateKeyPEM: second.privateKeyPEM,
                hosts: ["iot.example.test"]
            ))
    }

    @Test func theSNSSigningKeyIsKeptSecretAndItsCertificateChainsToTheRoot() throws {
        let path = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = DataDirectory(path: path)
        try directory.create()
        let root = try directory.loadOrCreateRootAuthority(logger: logger)
        let signing = try directory.loadOrCreateNotificationSigningCredentials(root: root, logger: logger)
        #expect(try mode(directory.file("sns/signing.key")) == 0o600)
        let certificate = try Certificate(pemEncoded: signing.certificatePEM)
        #expect(certificate.issuer == root.certificate.subject)
        #expect(certificate.subject.description.contains("sns.thingport.local"))
        let key = try Certificate.PrivateKey(pemEncoded: signing.privateKeyPEM)
        #expect(key.publicKey == certificate.publicKey)
        let again = try directory.loadOrCreateNotificationSigningCredentials(root: root, logger: logger)
        #expect(again.certificatePEM == signing.certificatePEM)
    }
}
