import Foundation

/// A thing group as `DescribeThingGroup` returns it.
public struct ThingGroup: Sendable, Hashable {
    /// The name.
    public var thingGroupName: String
    /// A UUID assigned at creation.
    public var thingGroupId: String
    /// `arn:aws:iot:REGION:ACCOUNT:thinggroup/NAME`.
    public var thingGroupArn: String
    /// Starts at 1 and grows by one with every update.
    public var version: Int64
    /// Description and attributes.
    public var thingGroupProperties: ThingGroupProperties
    /// Parent, ancestry and creation date.
    public var thingGroupMetadata: ThingGroupMetadata
}

/// `ThingGroupProperties`.
public struct ThingGroupProperties: Sendable, Hashable {
    /// Up to 2028 characters.
    public var thingGroupDescription: String?
    /// The group's attributes; `merge` applies to updates.
    public var attributePayload: AttributePayload?

    /// Creates properties.
    public init(thingGroupDescription: String? = nil, attributePayload: AttributePayload? = nil) {
        self.thingGroupDescription = thingGroupDescription
        self.attributePayload = attributePayload
    }
}

/// `ThingGroupMetadata`.
public struct ThingGroupMetadata: Sendable, Hashable {
    /// The parent group, if any.
    public var parentGroupName: String?
    /// The ancestors from the root down to the parent.
    public var rootToParentThingGroups: [GroupNameAndArn]
    /// When it was created.
    public var creationDate: Date
}

/// `GroupNameAndArn`: a group in listings.
public struct GroupNameAndArn: Sendable, Hashable {
    /// The group's name.
    public var groupName: String
    /// The group's ARN.
    public var groupArn: String

    /// Creates an entry.
    public init(groupName: String, groupArn: String) {
        self.groupName = groupName
        self.groupArn = groupArn
    }
}
