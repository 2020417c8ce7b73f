import AWSWire

extension SQLValue {
    /// The value serialised as compact JSON, the way the rules engine hands it to actions.
    ///
    /// Object members keep their order; ``undefined`` members and elements are left out;
    /// ``undefined`` alone serialises to no bytes; ``binary(_:)`` alone is the raw bytes, and
    /// inside an object or array a base64 string.
    public var jsonBytes: [UInt8] {
        switch self {
        case .undefined: return []
        case .binary(let bytes): return bytes
        default:
            var output: [UInt8] = []
            output.reserveCapacity(64)
            writeJSON(into: &output)
            return output
        }
    }

    /// ``jsonBytes`` as a string (lossy for binary payloads that are not UTF-8).
    public var jsonString: String {
        String(decoding: jsonBytes, as: UTF8.self)
    }

    /// Appends the JSON form of the value; ``undefined`` appends nothing.
    func writeJSON(into output: inout [UInt8]) {
        switch self {
        case .undefined: break
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): output.append(contentsOf: String(value).utf8)
        case .decimal(let value): output.append(contentsOf: SQLValue.format(value).utf8)
        case .string(let value): SQLValue.writeJSONString(value, into: &output)
        case .binary(let bytes): SQLValue.writeJSONString(Base64.encode(bytes), into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            var first = true
            for element in elements where !element.isUndefined {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                element.writeJSON(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            var first = true
            for member in object.members where !member.value.isUndefined {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                SQLValue.writeJSONString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                member.value.writeJSON(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeJSONString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                default:
                    output.append(contentsOf: "u00".utf8)
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0x0F)])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The text of a `Decimal`: the shortest form that reads back to the same `Double`,
    /// with a decimal point (`10.0`, `22.5`), and `1.5E+20` / `1E-7` style exponents for
    /// very large and very small magnitudes.
    static func format(_ value: Double) -> String {
        let text = value.description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        // Swift writes `1e-07`; drop the exponent's zero padding and use Java's capital E.
        var mantissa = text[..<e]
        var exponent = text[text.index(after: e)...]
        var sign = ""
        if let first = exponent.first, first == "+" || first == "-" {
            sign = String(first)
            exponent = exponent.dropFirst()
        }
        while exponent.count > 1, exponent.first == "0" { exponent = exponent.dropFirst() }
        if mantissa.hasSuffix(".0") { mantissa = mantissa.dropLast(2) }
        return "\(mantissa)E\(sign)\(exponent)"
    }
}
