import AWSWire
import Testing

@Suite("Base64")
struct Base64Tests {
    @Test(
        "RFC 4648's test vectors encode and decode",
        arguments: [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
        #expect(Base64.decode(encoded, requiringPadding: false) == Array(plain.utf8))
    }

    @Test("every byte value survives a round trip")
    func allBytes() {
        let bytes = (0...255).map(UInt8.init)
        let text = Base64.encode(bytes)
        #expect(text.hasSuffix("w=="))
        #expect(Base64.decode(text) == bytes)
        #expect(Base64.decode(text.dropLast(2), requiringPadding: false) == bytes)
    }

    @Test(
        "malformed text is refused whether or not padding is required",
        arguments: ["Z===", "Zg==Zg==", "Zm9v!A==", "=Zm9", "Zm9v Zg==", "Z", "Zm9vY", "Zg\n=="])
    func malformed(text: String) {
        #expect(Base64.decode(text) == nil)
        #expect(Base64.decode(text, requiringPadding: false) == nil)
    }

    @Test(
        "text without its padding is refused only when padding is required",
        arguments: ["Zg", "Zg=", "Zm8", "Zm9vYg"])
    func missingPadding(text: String) {
        #expect(Base64.decode(text) == nil)
        #expect(Base64.decode(text, requiringPadding: false) != nil)
    }
}
