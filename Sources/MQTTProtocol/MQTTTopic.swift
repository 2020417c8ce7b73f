/// Topic names, topic filters and matching (MQTT 3.1.1 section 4.7).
///
/// Everything here walks the UTF-8 bytes of the strings in place: no arrays of levels.
public enum MQTTTopic {
    /// The longest topic name or filter, in bytes of UTF-8 [MQTT-4.7.3-3].
    public static let maximumLength = Int(UInt16.max)

    private static let slash = UInt8(ascii: "/")
    private static let plus = UInt8(ascii: "+")
    private static let hash = UInt8(ascii: "#")
    private static let dollar = UInt8(ascii: "$")

    // MARK: Topic names

    /// Whether `topic` may be used as the topic name of a PUBLISH: at least one byte and at
    /// most 65,535 [MQTT-4.7.3-1], [MQTT-4.7.3-3], no wildcard characters [MQTT-3.3.2-2],
    /// [MQTT-4.7.1-1], no U+0000 [MQTT-1.5.3-2].
    public static func isValidTopicName(_ topic: String) -> Bool {
        var topic = topic
        return topic.withUTF8 { isValidTopicName(utf8: $0) }
    }

    /// Checks a topic name against the rules of ``isValidTopicName(_:)``.
    ///
    /// - Throws: ``MQTTProtocolError`` with code ``MQTTProtocolError/Code/invalidTopicName``.
    public static func validateTopicName(_ topic: String) throws(MQTTProtocolError) {
        guard isValidTopicName(topic) else {
            throw MQTTProtocolError(.invalidTopicName, "topic name empty, too long or with wildcards [MQTT-3.3.2-2]")
        }
    }

    static func isValidTopicName(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // [MQTT-4.7.3-1] at least one character; [MQTT-4.7.3-3] at most 65535 bytes.
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        for byte in bytes {
            // [MQTT-3.3.2-2] no wildcards in a topic name; [MQTT-1.5.3-2] no U+0000.
            if byte == plus || byte == hash || byte == 0 { return false }
        }
        return true
    }

    // MARK: Topic filters

    /// Whether `filter` may be used in SUBSCRIBE or UNSUBSCRIBE: at least one byte and at
    /// most 65,535 [MQTT-4.7.3-1], [MQTT-4.7.3-3], `+` only as a whole level
    /// [MQTT-4.7.1-3], `#` only as the whole last level [MQTT-4.7.1-2], no U+0000.
    public static func isValidTopicFilter(_ filter: String) -> Bool {
        var filter = filter
        return filter.withUTF8 { isValidTopicFilter(utf8: $0) }
    }

    /// Checks a topic filter against the rules of ``isValidTopicFilter(_:)``.
    ///
    /// - Throws: ``MQTTProtocolError`` with code ``MQTTProtocolError/Code/invalidTopicFilter``.
    public static func validateTopicFilter(_ filter: String) throws(MQTTProtocolError) {
        guard isValidTopicFilter(filter) else {
            throw MQTTProtocolError(
                .invalidTopicFilter, "topic filter empty, too long or misplaced wildcard [MQTT-4.7.1]")
        }
    }

    static func isValidTopicFilter(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // [MQTT-4.7.3-1] at least one character; [MQTT-4.7.3-3] at most 65535 bytes.
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        let count = bytes.count
        for index in 0..<count {
            let byte = bytes[index]
            if byte == 0 { return false }  // [MQTT-1.5.3-2]
            guard byte == plus || byte == hash else { continue }
            // Both wildcards must occupy a whole level [MQTT-4.7.1-2], [MQTT-4.7.1-3].
            let startsLevel = index == 0 || bytes[index - 1] == slash
            let endsLevel = index == count - 1 || bytes[index + 1] == slash
            guard startsLevel && endsLevel else { return false }
            // `#` must be the last character of the filter [MQTT-4.7.1-2].
            if byte == hash && index != count - 1 { return false }
        }
        return true
    }

    // MARK: Matching

    /// Whether the topic filter `filter` matches the topic name `topic` (MQTT 3.1.1 section 4.7).
    ///
    /// `+` matches exactly one level, which may be empty; `#` matches the parent level and any
    /// number of levels below it, so `sport/#` matches `sport`. A filter whose first character
    /// is a wildcard does not match a topic name that begins with `$` [MQTT-4.7.2-1].
    /// Both arguments are expected to be valid (see ``isValidTopicFilter(_:)`` and
    /// ``isValidTopicName(_:)``).
    public static func matches(filter: String, topic: String) -> Bool {
        var filter = filter
        var topic = topic
        return filter.withUTF8 { filterBytes in
            topic.withUTF8 { topicBytes in matches(filter: filterBytes, topic: topicBytes) }
        }
    }

    /// ``matches(filter:topic:)`` over UTF-8 bytes.
    public static func matches(filter: UnsafeBufferPointer<UInt8>, topic: UnsafeBufferPointer<UInt8>) -> Bool {
        // [MQTT-4.7.2-1] wildcards at the start of a filter do not match `$` topics.
        if let first = topic.first, first == dollar, let lead = filter.first, lead == plus || lead == hash {
            return false
        }
        var f = 0
        var t = 0
        let filterCount = filter.count
        let topicCount = topic.count
        // Each iteration matches one level; `f` and `t` sit at the start of that level.
        while f < filterCount {
            let byte = filter[f]
            if byte == hash {
                // `#` is the last level: it matches whatever remains, even nothing.
                return true
            }
            if byte == plus {
                // `+` takes one whole topic level, possibly empty.
                f += 1
                while t < topicCount && topic[t] != slash { t += 1 }
            } else {
                // A literal level must match byte for byte and end where the topic level ends.
                while f < filterCount && filter[f] != slash {
                    guard t < topicCount, topic[t] == filter[f] else { return false }
                    f += 1
                    t += 1
                }
                if t < topicCount && topic[t] != slash { return false }
            }
            // Both sit at the end of a level: at a `/` or at the end.
            if f == filterCount { return t == topicCount }
            if t == topicCount {
                // The topic ended but the filter goes on: only a final `/#` still matches.
                return f + 2 == filterCount && filter[f + 1] == hash
            }
            f += 1
            t += 1
        }
        // The filter ended with `/`, so its last level is empty: so must the topic's be.
        return t == topicCount
    }
}
