import AWSWire
import JSON

/// A message `Publish` or `PublishBatch` accepted: checked as SNS checks it, with its text for
/// each protocol and its attributes as deliveries carry them.
struct PublishedMessage {
    /// The largest message, attributes included (256 KiB).
    static let maximumSize = 256 * 1024
    /// The longest subject.
    static let maximumSubjectLength = 100
    /// The most message attributes.
    static let maximumAttributes = 10
    /// The longest message attribute name, in bytes.
    static let maximumAttributeNameLength = 256

    /// The message id (a lower-case UUID).
    let messageId: String
    /// The `Message` parameter as given.
    let message: String
    /// The subject.
    let subject: String?
    /// With `MessageStructure=json`: the string members of the message (`default` among them).
    let texts: [String: String]?
    /// The attributes, by name.
    let attributes: [String: FilterPolicy.MessageAttribute]
    /// The attributes as the notification JSON shows them (`Binary` values in base64).
    let deliveredAttributes: [String: DeliveryPayload.MessageAttribute]

    /// Checks a message; the checks run in the order SNS reports them.
    ///
    /// - Throws: `InvalidParameter` (subject, empty or too long message, message structure) and
    ///   `ParameterValueInvalid` (attributes).
    init(
        messageId: String, message: String, subject: String?, messageStructure: String?,
        attributes: [String: FilterPolicy.MessageAttribute]
    ) throws(NotificationError) {
        try Self.checkContent(message: message, subject: subject)
        try Self.checkAttributes(attributes)
        guard Self.size(message: message, attributes: attributes) <= Self.maximumSize else {
            throw .invalidParameter("Invalid parameter: Message too long")
        }
        self.messageId = messageId
        self.message = message
        self.subject = subject
        self.texts = try Self.texts(message: message, structure: messageStructure)
        self.attributes = attributes
        self.deliveredAttributes = attributes.mapValues { attribute in
            DeliveryPayload.MessageAttribute(
                type: attribute.dataType,
                value: attribute.binaryValue.map { Base64.encode($0) } ?? attribute.stringValue ?? "")
        }
    }

    /// The text a subscription over `protocol` receives: its own member of a JSON-structured
    /// message, or `default`, or the message.
    func text(for protocol: String) -> String {
        guard let texts else { return message }
        return texts[`protocol`] ?? texts["default"] ?? message
    }

    // MARK: Checks

    /// The subject (non-empty, at most 100 characters, no line breaks or control characters)
    /// and a non-empty message.
    static func checkContent(message: String, subject: String?) throws(NotificationError) {
        if let subject {
            guard !subject.isEmpty, subject.count <= maximumSubjectLength,
                !subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw .invalidParameter("Invalid parameter: Subject")
            }
        }
        guard !message.isEmpty else { throw .invalidParameter("Invalid parameter: Empty message") }
    }

    /// The size SNS counts against 256 KiB: the message and every attribute's name, type and
    /// value, in bytes.
    static func size(message: String, attributes: [String: FilterPolicy.MessageAttribute]) -> Int {
        attributes.reduce(message.utf8.count) { total, attribute in
            total + attribute.key.utf8.count + attribute.value.dataType.utf8.count
                + (attribute.value.binaryValue?.count ?? attribute.value.stringValue?.utf8.count ?? 0)
        }
    }

    /// The message attributes: names, types and values, as SNS checks them.
    static func checkAttributes(_ attributes: [String: FilterPolicy.MessageAttribute]) throws(NotificationError) {
        guard attributes.count <= maximumAttributes else {
            throw .invalidParameterValue(
                "Number of message attributes [\(attributes.count)] exceeds the allowed maximum [\(maximumAttributes)]."
            )
        }
        for name in attributes.keys.sorted() {
            try checkAttributeName(name)
            try checkAttribute(name: name, attributes[name]!)
        }
    }

    static func checkAttributeName(_ name: String) throws(NotificationError) {
        guard name.utf8.count < maximumAttributeNameLength else {
            throw .invalidParameterValue("Length of message attribute name must be less than 256 bytes.")
        }
        guard !name.isEmpty else { throw .invalidParameterValue("The message attribute name can not be empty.") }
        if name.hasPrefix(".") {
            throw .invalidParameterValue("Invalid message attribute name starting with character '.' was found.")
        }
        if name.hasSuffix(".") {
            throw .invalidParameterValue("Invalid message attribute name ending with character '.' was found.")
        }
        var previous: Unicode.Scalar?
        for scalar in name.unicodeScalars {
            let allowed =
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_" || scalar == "-" || scalar == "."
            guard allowed else {
                throw .invalidParameterValue(
                    "Invalid non-alphanumeric character '#x\(String(scalar.value, radix: 16, uppercase: true))' was "
                        + "found in the message attribute name. Can only include alphanumeric characters, hyphens, "
                        + "underscores, or dots.")
            }
            if scalar == ".", previous == "." {
                throw .invalidParameterValue("Message attribute name can not have successive '.' character.")
            }
            previous = scalar
        }
    }

    static func checkAttribute(name: String, _ attribute: FilterPolicy.MessageAttribute) throws(NotificationError) {
        let type = attribute.dataType
        let base = type.prefix { $0 != "." }
        let custom = type.dropFirst(base.count)
        guard ["String", "Number", "Binary"].contains(base), custom.isEmpty || custom.count > 1 else {
            throw .invalidParameterValue(
                "The message attribute '\(name)' has an invalid message attribute type, the set of supported type "
                    + "prefixes is Binary, Number, and String.")
        }
        let empty = NotificationError.invalidParameterValue(
            "The message attribute '\(name)' must contain non-empty message attribute value for message attribute "
                + "type '\(type)'.")
        guard attribute.stringValue != nil || attribute.binaryValue != nil else { throw empty }
        if base == "Binary" {
            guard let bytes = attribute.binaryValue else {
                throw .invalidParameterValue(
                    "The message attribute '\(name)' with type '\(type)' must use field 'Binary'.")
            }
            guard !bytes.isEmpty else { throw empty }
            return
        }
        guard let text = attribute.stringValue else {
            throw .invalidParameterValue("The message attribute '\(name)' with type '\(type)' must use field 'String'.")
        }
        guard !text.isEmpty else { throw empty }
        if base == "Number", !isNumber(text) {
            throw .invalidParameterValue("Could not cast message attribute '\(name)' value to number.")
        }
        if type == "String.Array" {
            guard case .array(let elements)? = try? JSONValue.parse(text),
                elements.allSatisfy({ $0.arrayValue == nil && $0.members == nil })
            else {
                throw .invalidParameterValue(
                    "The message attribute '\(name)' with type 'String.Array' must be a JSON array of strings, "
                        + "numbers, true, false or null.")
            }
        }
    }

    /// A decimal number: optional sign, digits with an optional fraction, optional exponent.
    static func isNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func skipSign() {
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
        }
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            return index - start
        }
        skipSign()
        var mantissa = digits()
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            skipSign()
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    /// The texts of a `MessageStructure=json` message (nil without a structure).
    static func texts(message: String, structure: String?) throws(NotificationError) -> [String: String]? {
        guard let structure else { return nil }
        guard structure == "json" else { throw .invalidParameter("Invalid parameter: MessageStructure") }
        guard case .object(let members)? = try? JSONValue.parse(message) else {
            throw .invalidParameter("Invalid parameter: Message Structure - JSON message body failed to parse")
        }
        var texts: [String: String] = [:]
        // Keys whose value is not a string are ignored; a repeated key keeps its last value.
        for member in members {
            if let text = member.value.stringValue { texts[member.key] = text }
        }
        guard texts["default"] != nil else {
            throw .invalidParameter("Invalid parameter: Message Structure - No default entry in JSON message body")
        }
        return texts
    }
}
