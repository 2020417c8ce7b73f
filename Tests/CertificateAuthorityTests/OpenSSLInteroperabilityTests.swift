import CertificateAuthority
import Foundation
import Testing
import X509

private let openSSLPath = "/usr/bin/openssl"

@Suite(
    "OpenSSL interoperability",
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: openSSLPath),
        "skipped: openssl is not installed at /usr/bin/openssl"
    )
)
struct OpenSSLInteroperabilityTests {
    /// The exit status and combined output of `openssl arguments…` run in `directory`.
    private func openssl(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openSSLPath)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    private func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("thingport-ca-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    private func write(_ text: String, _ name: String, in directory: URL) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    @Test("openssl verifies the device and server chains and checks the keys")
    func verifyWithOpenSSL() throws {
        let root = Fixtures.root
        let device = Fixtures.deviceKeys
        let server = try root.issueServerCertificate(hosts: ["iot.example.com", "192.0.2.7"])
        try withTemporaryDirectory { directory in
            try write(root.certificatePEM, "root.pem", in: directory)
            try write(root.privateKeyPEM(), "root-key.pem", in: directory)
            try write(device.certificate.certificatePEM, "leaf.pem", in: directory)
            try write(device.privateKeyPEM, "key.pem", in: directory)
            try write(device.publicKeyPEM, "public.pem", in: directory)
            try write(server.certificate.certificatePEM, "server.pem", in: directory)
            try write(server.privateKeyPEM, "server-key.pem", in: directory)

            let verify = try openssl(["verify", "-CAfile", "root.pem", "leaf.pem"], in: directory)
            #expect(verify.status == 0, "\(verify.output)")
            #expect(verify.output.contains("leaf.pem: OK"))

            let client = try openssl(
                ["verify", "-purpose", "sslclient", "-CAfile", "root.pem", "leaf.pem"], in: directory)
            #expect(client.status == 0, "\(client.output)")

            let rsaCheck = try openssl(["rsa", "-check", "-noout", "-in", "key.pem"], in: directory)
            #expect(rsaCheck.status == 0, "\(rsaCheck.output)")
            #expect(rsaCheck.output.contains("RSA key ok"))

            // The private key, public key and certificate share one modulus.
            let keyModulus = try openssl(["rsa", "-noout", "-modulus", "-in", "key.pem"], in: directory)
            let publicModulus = try openssl(
                ["rsa", "-pubin", "-noout", "-modulus", "-in", "public.pem"], in: directory)
            let certificateModulus = try openssl(["x509", "-noout", "-modulus", "-in", "leaf.pem"], in: directory)
            #expect(keyModulus.output.hasPrefix("Modulus="))
            #expect(keyModulus.output == publicModulus.output)
            #expect(keyModulus.output == certificateModulus.output)

            // openssl's SHA-256 fingerprint is the certificate id.
            let fingerprint = try openssl(
                ["x509", "-noout", "-fingerprint", "-sha256", "-in", "leaf.pem"], in: directory)
            let hex = fingerprint.output.split(separator: "=").last.map {
                $0.replacingOccurrences(of: ":", with: "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            }
            #expect(hex == device.certificate.certificateId)

            let rootKey = try openssl(["pkey", "-noout", "-in", "root-key.pem"], in: directory)
            #expect(rootKey.status == 0, "\(rootKey.output)")

            for host in ["iot.example.com", "localhost"] {
                let serverVerify = try openssl(
                    ["verify", "-purpose", "sslserver", "-verify_hostname", host, "-CAfile", "root.pem", "server.pem"],
                    in: directory
                )
                #expect(serverVerify.status == 0, "\(host): \(serverVerify.output)")
            }
            for ip in ["192.0.2.7", "127.0.0.1", "::1"] {
                let serverVerify = try openssl(
                    ["verify", "-purpose", "sslserver", "-verify_ip", ip, "-CAfile", "root.pem", "server.pem"],
                    in: directory
                )
                #expect(serverVerify.status == 0, "\(ip): \(serverVerify.output)")
            }
            let wrongHost = try openssl(
                ["verify", "-verify_hostname", "evil.example.com", "-CAfile", "root.pem", "server.pem"],
                in: directory
            )
            #expect(wrongHost.status != 0)
            let serverKey = try openssl(["pkey", "-noout", "-in", "server-key.pem"], in: directory)
            #expect(serverKey.status == 0, "\(serverKey.output)")
        }
    }

    @Test("a CSR made by openssl is issued, and openssl verifies the result", arguments: ["rsa:2048", "ec"])
    func opensslCSR(keyType: String) async throws {
        let root = Fixtures.root
        try await withTemporaryDirectoryAsync { directory in
            var arguments = ["req", "-new", "-nodes", "-keyout", "device-key.pem", "-out", "device.csr"]
            arguments += ["-subj", "/O=Acme/CN=openssl-device"]
            if keyType == "ec" {
                arguments += ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
            } else {
                arguments += ["-newkey", keyType]
            }
            let request = try openssl(arguments, in: directory)
            try #require(request.status == 0, "\(request.output)")
            let csr = try String(contentsOf: directory.appendingPathComponent("device.csr"), encoding: .utf8)

            let issued = try root.issueCertificate(csrPEM: csr)
            #expect(issued.certificate.subject.description.contains("CN=openssl-device"))
            try write(root.certificatePEM, "root.pem", in: directory)
            try write(issued.certificatePEM, "device.pem", in: directory)
            let verify = try openssl(
                ["verify", "-purpose", "sslclient", "-CAfile", "root.pem", "device.pem"], in: directory)
            #expect(verify.status == 0, "\(verify.output)")

            let key = try String(contentsOf: directory.appendingPathComponent("device-key.pem"), encoding: .utf8)
            #expect(CertificateCoding.privateKey(pem: key, matches: issued.certificate))

            let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
            #expect(try await verifier.verify(leaf: issued.certificate).trustAnchorId == root.certificateId)
        }
    }

    private func withTemporaryDirectoryAsync(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("thingport-ca-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory)
    }
}
