import AWSWire
import Foundation
import Testing

/// One SigV4 vector written by scripts/gen-sigv4-vectors.py from botocore's signers.
struct BotocoreVector: Decodable, Sendable, CustomTestStringConvertible {
    struct WireRequest: Decodable, Sendable {
        var method: String
        var path: String
        var query: String
        var headers: [[String]]
        var body: String

        var bodyBytes: [UInt8] { Array(Data(base64Encoded: body) ?? Data()) }

        var headerFields: [HeaderField] { headers.map { HeaderField($0[0], $0[1]) } }

        var sigV4Request: SigV4Request {
            SigV4Request(method: method, path: path, query: query, headers: headerFields, body: bodyBytes)
        }
    }

    var name: String
    var description: String
    var service: String
    var region: String
    var accessKeyId: String
    var secretAccessKey: String
    var sessionToken: String?
    var timestamp: String
    var kind: String
    var signsPayload: Bool
    var unsigned: WireRequest
    var wire: WireRequest
    var payloadHash: String
    var canonicalRequest: String
    var stringToSign: String
    var signature: String
    var authorization: String?
    var expires: Int?

    var testDescription: String { name }

    var isPresigned: Bool { kind == "presigned" }

    var date: Date { AWSTimestamp.parseSigV4(timestamp)! }

    var credentials: SigV4Credentials {
        SigV4Credentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }

    var signer: SigV4Signer {
        SigV4Signer(credentials: credentials, region: region, service: service, signsPayload: signsPayload)
    }

    /// Whether botocore signed with a `Date` header (the Swift signer uses `X-Amz-Date`).
    var signsWithDateHeader: Bool {
        unsigned.headerFields.firstValue(named: "date") != nil
    }

    func secret(_ accessKeyId: String) -> String? {
        accessKeyId == self.accessKeyId ? secretAccessKey : nil
    }

    static let all: [BotocoreVector] = {
        struct File: Decodable { var vectors: [BotocoreVector] }
        guard
            let url = Bundle.module.url(forResource: "botocore-sigv4", withExtension: "json", subdirectory: "Vectors"),
            let data = try? Data(contentsOf: url),
            let file = try? JSONDecoder().decode(File.self, from: data)
        else { return [] }
        return file.vectors
    }()
}
