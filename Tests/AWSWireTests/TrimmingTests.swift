import AWSWire
import Foundation
import Testing

@Suite("Trimming horizontal whitespace")
struct TrimmingTests {
    @Test(arguments: [
        ("", ""), ("   ", ""), ("a", "a"), ("  a b  ", "a b"), ("\ta\t", "a"), ("\u{00A0}x\u{3000}", "x"),
        ("\na\n", "\na\n"),  // newlines are not horizontal whitespace
        (" é ", "é"), (" Credential=AKIA/20261127/iot ", "Credential=AKIA/20261127/iot"),
    ])
    func trimsAsFoundationDoes(input: String, expected: String) {
        #expect(input.trimmingHorizontalWhitespace() == expected)
        #expect(input.trimmingCharacters(in: .whitespaces) == expected)
    }

    @Test func worksOnSubstrings() {
        let header = "AWS4-HMAC-SHA256  Credential=x ,  Signature=y"
        let parts = header.split(separator: ",").map { $0.trimmingHorizontalWhitespace() }
        #expect(parts == ["AWS4-HMAC-SHA256  Credential=x", "Signature=y"])
    }
}
