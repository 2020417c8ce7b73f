import NIOConcurrencyHelpers

/// Ids of deliveries that sort in the order they were made: UUIDs of version 7 (RFC 9562), a
/// millisecond timestamp followed by a counter and random bits, so that a publish's deliveries,
/// and successive publishes, keep their order in `sns_deliveries` (`ORDER BY created, id`).
package final class DeliveryIdGenerator: Sendable {
    private struct State {
        var milliseconds: Int64 = 0
        var counter: UInt16 = 0
    }

    private let state = NIOLockedValueBox(State())
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A generator.
    package init() {}

    /// A new id at time `now` (milliseconds since 1970); never smaller than the previous one.
    package func next(now: Int64) -> String {
        let (milliseconds, counter) = state.withLockedValue { state -> (Int64, UInt16) in
            if now > state.milliseconds {
                state.milliseconds = now
                state.counter = 0
            } else if state.counter == 0x0FFF {
                // 4096 ids in one millisecond: borrow the next one.
                state.milliseconds += 1
                state.counter = 0
            } else {
                state.counter += 1
            }
            return (state.milliseconds, state.counter)
        }
        var generator = SystemRandomNumberGenerator()
        // 48 bits of time, version 7, 12 bits of counter; variant 0b10, 62 random bits.
        let high = (UInt64(bitPattern: milliseconds) << 16) | 0x7000 | UInt64(counter)
        let low = ((generator.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = nibble < 16 ? high : low
                buffer[position] = Self.hexDigits[Int(truncatingIfNeeded: word >> UInt64(60 - 4 * (nibble % 16))) & 0xF]
                position += 1
            }
            return position
        }
    }
}
