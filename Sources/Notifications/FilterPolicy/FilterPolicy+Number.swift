extension FilterPolicy {
    /// A number as filter policies compare it: SNS matches numbers from -10⁹ to 10⁹ with five
    /// digits of accuracy after the decimal point, so `key` is the value shifted to be
    /// positive and scaled by 10⁵ (truncated). Numbers outside that range, or not readable,
    /// have no key and compare by their text only.
    struct Number: Sendable, Hashable {
        static let limit = 1e9

        let text: String
        let key: Int64?

        init(text: String) {
            self.text = text
            self.key = Self.key(for: text)
        }

        /// Equal numerically when both are in range, otherwise when written the same.
        func isEqual(to other: Number) -> Bool {
            if let key, let otherKey = other.key { return key == otherKey }
            return text == other.text
        }

        private static func key(for text: String) -> Int64? {
            // Only decimal JSON-style numbers: `Double(_:)` would also read "nan" or "0x1p3".
            guard !text.isEmpty,
                text.utf8.allSatisfy({
                    ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
                        || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "e")
                        || $0 == UInt8(ascii: "E")
                }),
                let value = Double(text), value.isFinite, abs(value) <= limit
            else { return nil }
            return Int64(((value + limit) * 1e5).rounded(.down))
        }
    }
}
