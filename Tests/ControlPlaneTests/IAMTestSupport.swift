import AWSWire
import ControlPlane
import Foundation
import Identity
import Storage
import Testing

/// The iam operations over a fresh SQLite identity store, called through the router with
/// signed query-protocol requests.
struct IAMFixture: Sendable {
    static let accountId = "123456789012"

    let identity: IdentityStore
    let client: APIClient

    /// Runs `body` with a client of an API serving the iam operations, then removes everything.
    static func with(_ body: @escaping @Sendable (IAMFixture) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("thingport-iam-\(UUID().uuidString)", isDirectory: true)
        let database = try await Database.open(.sqlite(path: directory.appendingPathComponent("db.sqlite").path))
        let identity = IdentityStore(database: database, accountId: accountId)
        do {
            try await identity.migrate()
            var api = TestAPI(registersTestHandlers: false)
            api.controlPlane.registerIAMOperations(identity)
            try await api.run { client in
                try await body(IAMFixture(identity: identity, client: client))
            }
        } catch {
            await database.shutdown()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        await database.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sends a signed iam request for `action` with `parameters`.
    @discardableResult
    func call(_ action: String, _ parameters: [(String, String)] = []) async throws -> APIResponse {
        try await client.query("iam", [("Action", action), ("Version", "2010-05-08")] + parameters)
    }

    /// A trust policy letting `service` assume the role.
    static func trust(_ service: String = "iot.amazonaws.com") -> String {
        #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "\#(service)"}, "Action": "sts:AssumeRole"}]}"#
    }

    /// A permissions policy allowing `action` on every resource.
    static func allow(_ action: String) -> String {
        #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "\#(action)", "Resource": "*"}}"#
    }

    func policyArn(_ name: String, path: String = "/") -> String {
        "arn:aws:iam::\(Self.accountId):policy\(path)\(name)"
    }
}

extension APIResponse {
    /// The text of every `<name>` element of an XML body, in document order.
    func xmlAll(_ name: String) -> [String] {
        var values: [String] = []
        var searchFrom = body.startIndex
        while let open = body.range(of: "<\(name)>", range: searchFrom..<body.endIndex),
            let close = body.range(of: "</\(name)>", range: open.upperBound..<body.endIndex)
        {
            values.append(
                String(body[open.upperBound..<close.lowerBound])
                    .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&amp;", with: "&"))
            searchFrom = close.upperBound
        }
        return values
    }

    /// Expects a 200 query answer.
    @discardableResult
    func ok(_ action: String, sourceLocation: SourceLocation = #_sourceLocation) -> APIResponse {
        #expect(status == 200, "\(status): \(body)", sourceLocation: sourceLocation)
        #expect(
            body.hasPrefix(#"<\#(action)Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">"#),
            "\(body)", sourceLocation: sourceLocation)
        return self
    }

    /// Expects an iam `<ErrorResponse>` with `code` and `status`, and returns its message.
    @discardableResult
    func iamError(_ code: String, status expected: Int, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(status == expected, "\(body)", sourceLocation: sourceLocation)
        #expect(
            body.hasPrefix(#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">"#), "\(body)",
            sourceLocation: sourceLocation)
        #expect(xml("Code") == code, "\(body)", sourceLocation: sourceLocation)
        #expect(xml("Type") == (expected < 500 ? "Sender" : "Receiver"), sourceLocation: sourceLocation)
        return xml("Message") ?? ""
    }
}
