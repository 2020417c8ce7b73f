import MQTTProtocol
import Testing

@Suite("UTF-8 validation")
struct MQTTUTF8Tests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var valid: Bool
        var testDescription: String { self.bytes.map { String($0, radix: 16) }.joined(separator: " ") }
    }

    static let samples: [Sample] = [
        Sample(bytes: [], valid: true),
        Sample(bytes: Array("hello/world".utf8), valid: true),
        Sample(bytes: [0xC3, 0xA9], valid: true),  // é
        Sample(bytes: [0xE2, 0x82, 0xAC], valid: true),  // €
        Sample(bytes: [0xED, 0x9F, 0xBF], valid: true),  // U+D7FF, just below the surrogates
        Sample(bytes: [0xEE, 0x80, 0x80], valid: true),  // U+E000, just above
        Sample(bytes: [0xEF, 0xBF, 0xBF], valid: true),  // U+FFFF
        Sample(bytes: [0xF0, 0x9F, 0x98, 0x80], valid: true),  // 😀
        Sample(bytes: [0xF4, 0x8F, 0xBF, 0xBF], valid: true),  // U+10FFFF
        Sample(bytes: [0xC3, 0x28], valid: false),
        Sample(bytes: [0xED, 0xA0, 0x80], valid: false),  // U+D800
        Sample(bytes: [0xED, 0xBF, 0xBF], valid: false),  // U+DFFF
        Sample(bytes: [0xC0, 0xAF], valid: false),  // overlong /
        Sample(bytes: [0xC1, 0xBF], valid: false),
        Sample(bytes: [0xE0, 0x80, 0xAF], valid: false),  // overlong
        Sample(bytes: [0xF0, 0x80, 0x80, 0xAF], valid: false),  // overlong
        Sample(bytes: [0xF4, 0x90, 0x80, 0x80], valid: false),  // U+110000
        Sample(bytes: [0xF5, 0x80, 0x80, 0x80], valid: false),
        Sample(bytes: [0xFF], valid: false),
        Sample(bytes: [0x80], valid: false),
        Sample(bytes: [0xE2, 0x82], valid: false),  // truncated
        Sample(bytes: [0x61, 0xF0, 0x9F, 0x98], valid: false),  // truncated
    ]

    @Test("well-formedness and decoding", arguments: samples)
    func sample(_ sample: Sample) {
        sample.bytes.withUnsafeBytes { raw in
            #expect(MQTTUTF8.isWellFormed(raw) == sample.valid)
            let decoded = MQTTUTF8.decode(raw)
            #expect((decoded != nil) == sample.valid)
            if let decoded { #expect(Array(decoded.utf8) == sample.bytes) }
        }
    }

    @Test("U+0000 is well-formed UTF-8 but not an MQTT string")
    func nul() {
        [0x61, 0x00, 0x62].withUnsafeBytes { raw in
            #expect(MQTTUTF8.isWellFormed(raw))
            #expect(MQTTUTF8.decode(raw) == nil)
        }
    }

    @Test("the fallback validator agrees with the standard library on random bytes")
    func agreesWithStandardLibrary() {
        var random = SeededGenerator(seed: 0x0_0F8)
        // Lead bytes and continuation bytes are favoured so that many samples are valid.
        let alphabet: [UInt8] = [
            0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
        ]
        var valid = 0
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 1...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            if expected { valid += 1 }
            bytes.withUnsafeBytes { #expect(MQTTUTF8.isWellFormed($0) == expected, "\(bytes)") }
        }
        #expect(valid > 400)
    }
}
