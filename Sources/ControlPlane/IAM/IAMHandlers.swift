import AWSWire
import Identity

/// The handlers of the `iam` operations: each takes the bound, validated input, calls the
/// identity store and returns the output members named as botocore's model names them.
///
/// One extension per family (`IAMHandlers+Roles.swift`…) lists its operations.
struct IAMHandlers: Sendable {
    /// An operation name and what it does.
    typealias Operation = (name: String, handle: @Sendable (IAMInput) async throws -> OperationOutput)

    let identity: IdentityStore

    /// Every operation served.
    var operations: [Operation] {
        roleOperations + policyOperations + policyVersionOperations + attachmentOperations + inlinePolicyOperations
    }

    /// A policy document as IAM returns it: the JSON text URL-encoded (RFC 3986, spaces as
    /// `%20`), which botocore's `json_decode_policies` turns back into a dictionary.
    static func encodedDocument(_ document: String) -> AWSValue {
        .string(AWSPercentEncoding.encode(document))
    }

    /// A page's `IsTruncated` and `Marker`, added to `members`.
    static func paging<Item>(_ page: IdentityStore.Page<Item>, _ members: [String: AWSValue]) -> OperationOutput {
        var members = members
        members["IsTruncated"] = .boolean(page.isTruncated)
        if let marker = page.marker { members["Marker"] = .string(marker) }
        return OperationOutput(members)
    }

    /// A `tagListType`.
    static func tags(_ tags: [IAMTag]) -> AWSValue {
        .list(tags.map { ["Key": .string($0.key), "Value": .string($0.value)] })
    }
}

/// An `iam` operation's input, with the accessors the handlers need.
struct IAMInput: Sendable {
    let input: OperationInput

    init(_ input: OperationInput) {
        self.input = input
    }

    /// A member the model requires (the dispatcher has checked it is present).
    func required(_ name: String) throws(AWSError) -> String {
        guard let value = input.string(name) else {
            let path = name.prefix(1).lowercased() + name.dropFirst()
            throw ServiceModel.iam.validationError(
                "1 validation error detected: Value null at '\(path)' failed to satisfy constraint: "
                    + "Member must not be null")
        }
        return value
    }

    func string(_ name: String) -> String? { input.string(name) }

    func int(_ name: String) -> Int? { input.int(name) }

    func bool(_ name: String) -> Bool? { input.bool(name) }

    /// `Marker`.
    var marker: String? { input.string("Marker") }

    /// `MaxItems`.
    var maxItems: Int? { input.int("MaxItems") }

    /// `Tags` (`[{"Key", "Value"}]`).
    var tags: [IAMTag] {
        (input["Tags"]?.listValue ?? []).map {
            IAMTag(key: $0["Key"]?.stringValue ?? "", value: $0["Value"]?.stringValue ?? "")
        }
    }
}
