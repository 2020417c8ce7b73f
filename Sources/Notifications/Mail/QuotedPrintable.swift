/// Quoted-printable content transfer encoding (RFC 2045 §6.7) for text bodies.
package enum QuotedPrintable {
    /// The longest encoded line, soft line break `=` included (RFC 2045 §6.7 rule 5).
    package static let maximumLineLength = 76

    /// Encodes text lines (without their line breaks); each becomes one or more encoded lines ending in
    /// CRLF. Line breaks between the given lines are hard breaks; longer lines get soft breaks (`=` CRLF).
    package static func encode(lines: [ArraySlice<UInt8>]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(lines.reduce(0) { $0 + $1.count + 4 })
        for line in lines {
            Self.encode(line: line, into: &output)
        }
        return output
    }

    private static func encode(line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var length = 0
        for index in line.indices {
            let byte = line[index]
            let isLast = index == line.index(before: line.endIndex)
            let literal: Bool =
                switch byte {
                // Rule 2: printable ASCII except "=" stands for itself.
                case 33...60, 62...126: true
                // Rule 3: space and tab, except at the end of an encoded line where transports may strip them.
                case UInt8(ascii: " "), UInt8(ascii: "\t"): !isLast
                default: false
                }
            let tokenLength = literal ? 1 : 3
            // Rule 5: keep room for the soft break "=", unless this is the final token of the line.
            let fits =
                length + tokenLength <= Self.maximumLineLength - 1
                || (isLast && length + tokenLength <= Self.maximumLineLength)
            if !fits {
                output.append(contentsOf: [UInt8(ascii: "="), 13, 10])
                length = 0
            }
            if literal {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "="))
                output.append(Self.hexDigits[Int(byte >> 4)])
                output.append(Self.hexDigits[Int(byte & 0x0F)])
            }
            length += tokenLength
        }
        output.append(contentsOf: [13, 10])
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
