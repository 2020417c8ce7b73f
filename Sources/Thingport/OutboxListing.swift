import Foundation
import Notifications

/// `GET /_thingport/sns/outbox` (SigV4-signed): the e-mails in `DATA/outbox/`, oldest first, as
/// JSON — `{"Messages": [{"Name", "Size", "Message"}]}` with each message's full text — so that
/// a laptop set-up without SMTP can read confirmation links and notifications through the API.
/// The outbox holds confirmation tokens, hence the signature.
enum OutboxListing {
    /// The route's path.
    static let path = "/_thingport/sns/outbox"

    private struct Listing: Encodable {
        struct Message: Encodable {
            let name: String
            let size: Int
            let message: String

            enum CodingKeys: String, CodingKey {
                case name = "Name"
                case size = "Size"
                case message = "Message"
            }
        }

        let messages: [Message]

        enum CodingKeys: String, CodingKey {
            case messages = "Messages"
        }
    }

    /// The listing of `outbox` as JSON.
    static func json(of outbox: OutboxDirectory) async throws -> String {
        let messages = try await outbox.messages().map {
            Listing.Message(name: $0.name, size: $0.bytes.count, message: String(decoding: $0.bytes, as: UTF8.self))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Listing(messages: messages)), as: UTF8.self)
    }
}
