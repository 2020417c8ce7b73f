/// UTF-8 rules for MQTT strings: well-formed UTF-8 without U+0000 [MQTT-1.5.3-1], [MQTT-1.5.3-2].
package enum MQTTUTF8 {
    /// Decodes `bytes` into a `String` if they are well-formed UTF-8 holding no U+0000.
    ///
    /// Ill-formed input (overlong forms, surrogate code points, values above U+10FFFF,
    /// truncated sequences) is rejected, never repaired.
    package static func decode(_ bytes: UnsafeRawBufferPointer) -> String? {
        // One pass over the bytes, written as reductions so that it vectorizes.
        var smallest: UInt8 = 0xFF
        var union: UInt8 = 0
        for byte in bytes {
            smallest = min(smallest, byte)
            union |= byte
        }
        // In UTF-8 a 0x00 byte only ever encodes U+0000 [MQTT-1.5.3-2].
        if smallest == 0 && !bytes.isEmpty { return nil }
        if union < 0x80 {
            // ASCII is well-formed UTF-8: there is nothing to validate or repair, and this
            // initializer takes the standard library's ASCII fast path.
            return String(decoding: bytes, as: UTF8.self)
        }
        if #available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *) {
            return bytes.withMemoryRebound(to: UInt8.self) { String(validating: $0, as: UTF8.self) }
        }
        guard isWellFormed(bytes) else { return nil }
        // Validated above, so this initializer has nothing to repair.
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` is well-formed UTF-8 (Unicode Table 3-7). Allows U+0000.
    package static func isWellFormed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: return false
            }
            guard count - index >= length else { return false }
            let second = bytes[index + 1]
            guard second >= lower && second <= upper else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
                return false
            }
            index += length
        }
        return true
    }
}
