import AWSWire
import Testing

@testable import Notifications

@Suite("Quoted-printable, encoded-words, base64 and folding")
struct MIMEEncodingTests {
    static func qp(_ line: String) -> String {
        String(decoding: QuotedPrintable.encode(lines: [Array(line.utf8)[...]]), as: UTF8.self)
    }

    @Test(arguments: [
        ("plain text", "plain text\r\n"),
        ("a=b", "a=3Db\r\n"),
        ("trailing space ", "trailing space=20\r\n"),
        ("trailing tab\t", "trailing tab=09\r\n"),
        ("inner  spaces\tand tab", "inner  spaces\tand tab\r\n"),
        ("café", "caf=C3=A9\r\n"),
        ("€", "=E2=82=AC\r\n"),
        ("nul\u{0}del\u{7F}", "nul=00del=7F\r\n"),
        ("", "\r\n"),
        ("~!@#$%^&*()_+{}|:\"<>?", "~!@#$%^&*()_+{}|:\"<>?\r\n"),
    ])
    func singleLinesAreEncodedPerRFC2045(input: String, expected: String) {
        #expect(Self.qp(input) == expected)
    }

    @Test func lineOf76CharactersNeedsNoSoftBreak() {
        let line = String(repeating: "a", count: 76)
        #expect(Self.qp(line) == line + "\r\n")
    }

    @Test func lineOf77CharactersGetsASoftBreakAfter75() {
        let line = String(repeating: "a", count: 77)
        #expect(Self.qp(line) == String(repeating: "a", count: 75) + "=\r\n" + "aa\r\n")
    }

    @Test func escapesAreNeverSplitAcrossASoftBreak() {
        for prefix in 70...76 {
            let line = String(repeating: "a", count: prefix) + "==é" + String(repeating: "b", count: 10)
            let encoded = Array(QuotedPrintable.encode(lines: [Array(line.utf8)[...]]))
            let lines = MIMEDecoding.lines(encoded)
            for (index, encodedLine) in lines.enumerated() {
                #expect(encodedLine.utf8.count <= 76)
                if index < lines.count - 1 {
                    #expect(encodedLine.hasSuffix("="))
                    // A soft break "=" must not be part of an "=XX" escape.
                    let body = encodedLine.dropLast()
                    if let last = body.lastIndex(of: "=") {
                        #expect(body.distance(from: last, to: body.endIndex) == 3)
                    }
                }
            }
            #expect(MIMEDecoding.decodeQuotedPrintable(encoded) == Array(line.utf8) + [13, 10])
        }
    }

    @Test func trailingSpaceBeforeASoftBreakIsProtectedAndAtTheEndEncoded() {
        let line = String(repeating: "a", count: 74) + "  " + "b "
        let encoded = Self.qp(line)
        #expect(encoded == String(repeating: "a", count: 74) + " =\r\n b=20\r\n")
        #expect(MIMEDecoding.decodeQuotedPrintable(Array(encoded.utf8)) == Array((line + "\r\n").utf8))
    }

    @Test func longLinesRoundTrip() {
        let lines = [
            String(repeating: "é", count: 100), String(repeating: "x= ", count: 60), String(repeating: " ", count: 90),
        ]
        let encoded = QuotedPrintable.encode(lines: lines.map { Array($0.utf8)[...] })
        #expect(MIMEDecoding.lines(encoded).allSatisfy { $0.utf8.count <= 76 })
        #expect(encoded.allSatisfy { $0 < 0x80 })
        let decoded = MIMEDecoding.decodeQuotedPrintable(encoded)
        #expect(decoded == Array(lines.map { $0 + "\r\n" }.joined().utf8))
    }

    @Test func encodedWordsFitTheirBudget() {
        let words = EncodedWord.encode(String(repeating: "日本語", count: 30))
        #expect(words.count > 1)
        for word in words {
            #expect(word.utf8.count <= 75)
            #expect(("Subject: " + word).utf8.count <= 76)
        }
        let decoded = words.map { Base64.decode($0.dropFirst(10).dropLast(2))! }.joined()
        #expect(String(decoding: Array(decoded), as: UTF8.self) == String(repeating: "日本語", count: 30))
    }

    @Test func foldingBreaksOnlyBeforeWhitespaceAndNeverBeforeTheValue() {
        let field = "X-Words: " + (1...40).map { "w\($0)" }.joined(separator: " ")
        let lines = HeaderFolding.fold(field)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") && $0.count > 1 })
        #expect(lines.joined() == field)
        #expect(HeaderFolding.fold("X-Long: " + String(repeating: "z", count: 100)).count == 1)
    }

    @Test func foldingNeverProducesWhitespaceOnlyLines() {
        let field = "X-Spaces: a" + String(repeating: " ", count: 100) + "b"
        let lines = HeaderFolding.fold(field)
        #expect(lines.allSatisfy { !$0.allSatisfy { $0 == " " } })
        #expect(lines.joined() == field)
    }
}
