import CertificateAuthority
import Foundation
import Logging
import X509

/// The data directory: created on first start, reused afterwards.
///
/// Layout (files holding secrets are mode 0600):
/// - `ca/root-ca.pem`, `ca/root-ca.key`: the root certificate authority;
/// - `AmazonRootCA1.pem`: the same root certificate, under the name AWS device code expects;
/// - `ca/server.pem`, `ca/server.key`: the TLS server certificate, reissued when the public
///   hosts change or it nears expiry;
/// - `sns/signing-cert.pem`, `sns/signing.key`: what SNS message signatures are made with.
public struct DataDirectory: Sendable {
    /// The directory's path.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The root certificate authority: loaded, or created on first start.
    public func loadOrCreateRootAuthority(logger: Logger) throws -> IssuingAuthority {
        try createDirectory(at: "ca")
        let certificatePath = file("ca/root-ca.pem")
        let keyPath = file("ca/root-ca.key")
        let root: IssuingAuthority
        if FileManager.default.fileExists(atPath: certificatePath) {
            root = try IssuingAuthority(
                certificatePEM: try String(contentsOfFile: certificatePath, encoding: .utf8),
                privateKeyPEM: try String(contentsOfFile: keyPath, encoding: .utf8)
            )
        } else {
            logger.info("creating the root certificate authority", metadata: ["path": "\(certificatePath)"])
            root = try IssuingAuthority.generateRoot()
            try writeSecret(try root.privateKeyPEM(), to: keyPath)
            try writePublic(root.certificatePEM, to: certificatePath)
        }
        let amazonRoot = file("AmazonRootCA1.pem")
        if (try? String(contentsOfFile: amazonRoot, encoding: .utf8)) != root.certificatePEM {
            try writePublic(root.certificatePEM, to: amazonRoot)
        }
        return root
    }

    /// The TLS server credentials for `hosts`: reused while they cover every host and are
    /// far from expiry, issued anew otherwise.
    public func loadOrIssueServerCredentials(
        root: IssuingAuthority,
        hosts: [String],
        logger: Logger
    ) throws -> (certificatePEM: String, privateKeyPEM: String) {
        let certificatePath = file("ca/server.pem")
        let keyPath = file("ca/server.key")
        if let certificatePEM = try? String(contentsOfFile: certificatePath, encoding: .utf8),
            let keyPEM = try? String(contentsOfFile: keyPath, encoding: .utf8),
            (try? root.canReuseServerCredentials(certificatePEM: certificatePEM, privateKeyPEM: keyPEM, hosts: hosts))
                == true
        {
            return (certificatePEM, keyPEM)
        }
        logger.info("issuing the TLS server certificate", metadata: ["hosts": "\(hosts)"])
        let credentials = try root.issueServerCertificate(hosts: hosts)
        try writeSecret(credentials.privateKeyPEM, to: keyPath)
        try writePublic(credentials.certificate.certificatePEM, to: certificatePath)
        return (credentials.certificate.certificatePEM, credentials.privateKeyPEM)
    }

    /// The key and certificate SNS message signatures are made with (`sns/signing.key`, 0600,
    /// and `sns/signing-cert.pem`, served at the notifications' `SigningCertURL`): loaded, or
    /// issued by `root` on first start.
    public func loadOrCreateNotificationSigningCredentials(
        root: IssuingAuthority,
        logger: Logger
    ) throws -> (certificatePEM: String, privateKeyPEM: String) {
        let certificatePath = file("sns/signing-cert.pem")
        let keyPath = file("sns/signing.key")
        if let certificatePEM = try? String(contentsOfFile: certificatePath, encoding: .utf8),
            let keyPEM = try? String(contentsOfFile: keyPath, encoding: .utf8)
        {
            return (certificatePEM, keyPEM)
        }
        logger.info("issuing the SNS message signing certificate", metadata: ["path": "\(certificatePath)"])
        try createDirectory(at: "sns")
        let subject = try DistinguishedName {
            CommonName("sns.thingport.local")
            OrganizationName("Thingport")
        }
        let credentials = try root.createKeysAndCertificate(subject: subject)
        try writeSecret(credentials.privateKeyPEM, to: keyPath)
        try writePublic(credentials.certificate.certificatePEM, to: certificatePath)
        return (credentials.certificate.certificatePEM, credentials.privateKeyPEM)
    }

    /// The absolute path of `relativePath` inside the directory.
    public func file(_ relativePath: String) -> String {
        (path as NSString).appendingPathComponent(relativePath)
    }

    /// Creates the directory itself (mode 0700) if it does not exist.
    public func create() throws {
        try FileManager.default.createDirectory(
            atPath: path,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    }

    // MARK: Private

    private func createDirectory(at relativePath: String) throws {
        try FileManager.default.createDirectory(
            atPath: file(relativePath),
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    }

    /// Writes a secret: the file is created 0600 before any byte is written.
    func writeSecret(_ text: String, to path: String) throws {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary]) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try replace(path, with: temporary)
    }

    private func writePublic(_ text: String, to path: String) throws {
        let temporary = path + ".tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary)
        try replace(path, with: temporary)
    }

    private func replace(_ path: String, with temporary: String) throws {
        if rename(temporary, path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
