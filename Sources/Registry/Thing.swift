import Foundation

/// A thing as `DescribeThing` returns it (members named as in the `iot` model).
public struct Thing: Sendable, Hashable {
    /// The thing's name, unique in the account.
    public var thingName: String
    /// A UUID assigned at creation.
    public var thingId: String
    /// `arn:aws:iot:REGION:ACCOUNT:thing/NAME`.
    public var thingArn: String
    /// The thing type, if any.
    public var thingTypeName: String?
    /// The attributes (name → value).
    public var attributes: [String: String]
    /// Starts at 1 and grows by one with every update.
    public var version: Int64

    /// The default MQTT client id: AWS uses the thing's name.
    public var defaultClientId: String { thingName }
}

/// The `attributePayload` of `CreateThing`/`UpdateThing` and thing group properties.
public struct AttributePayload: Sendable, Hashable {
    /// Attributes to set; an empty value removes the attribute when merging.
    public var attributes: [String: String]?
    /// Merge into the existing attributes instead of replacing them.
    public var merge: Bool

    /// Creates a payload.
    public init(attributes: [String: String]? = nil, merge: Bool = false) {
        self.attributes = attributes
        self.merge = merge
    }

    /// Applies the payload to `current`: nil attributes leave it unchanged; otherwise they
    /// replace it, or are merged into it (an empty value removes that attribute). Empty values
    /// are never stored.
    func applied(to current: [String: String]) -> [String: String] {
        guard let attributes else { return current }
        var result = merge ? current : [:]
        for (name, value) in attributes {
            result[name] = value.isEmpty ? nil : value
        }
        return result
    }
}
