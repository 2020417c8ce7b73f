import Foundation

/// A thing type as `DescribeThingType` returns it.
public struct ThingType: Sendable, Hashable {
    /// The name.
    public var thingTypeName: String
    /// A UUID assigned at creation.
    public var thingTypeId: String
    /// `arn:aws:iot:REGION:ACCOUNT:thingtype/NAME`.
    public var thingTypeArn: String
    /// Description and searchable attributes.
    public var thingTypeProperties: ThingTypeProperties
    /// Deprecation and creation dates.
    public var thingTypeMetadata: ThingTypeMetadata
}

/// `ThingTypeProperties` (the MQTT 5 configuration is not kept).
public struct ThingTypeProperties: Sendable, Hashable, Codable {
    /// Up to 2028 characters.
    public var thingTypeDescription: String?
    /// Up to 3 attribute names.
    public var searchableAttributes: [String]?

    /// Creates properties.
    public init(thingTypeDescription: String? = nil, searchableAttributes: [String]? = nil) {
        self.thingTypeDescription = thingTypeDescription
        self.searchableAttributes = searchableAttributes
    }
}

/// `ThingTypeMetadata`.
public struct ThingTypeMetadata: Sendable, Hashable {
    /// Whether the type is deprecated (no new things may use it).
    public var deprecated: Bool
    /// When it was last deprecated.
    public var deprecationDate: Date?
    /// When it was created.
    public var creationDate: Date
}
