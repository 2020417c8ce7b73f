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
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: UInt64(bitPattern: milliseconds) >> (8 * (5 - index)))
        }
        bytes[6] = 0x70 | UInt8(counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        let random = generator.next() as UInt64
        for index in 8..<16 {
            bytes[index] = UInt8(truncatingIfNeeded: random >> (8 * (15 - index)))
        }
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        let hex = bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 0x10 ? "0" + text : text
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }
            .joined(separator: "-")
    }
}
