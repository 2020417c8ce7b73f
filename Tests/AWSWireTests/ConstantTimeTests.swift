import AWSWire
import Testing

@Suite("Constant-time comparison")
struct ConstantTimeTests {
    @Test(arguments: [
        ("", "", true),
        ("abc", "abc", true),
        ("abc", "abd", false),
        ("xbc", "abc", false),
        ("abc", "ab", false),
        ("ab", "abc", false),
        ("", "a", false),
        ("abc", "ABC", false),
        (
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", true
        ),
        (
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30", false
        ),
    ])
    func strings(lhs: String, rhs: String, equal: Bool) {
        #expect(ConstantTime.isEqual(lhs, rhs) == equal)
        #expect(ConstantTime.isEqual(rhs, lhs) == equal)
    }

    @Test func bytesThatDifferOnlyInLengthOrByZeroPaddingDiffer() {
        #expect(!ConstantTime.isEqual([UInt8]([1, 2, 0]), [UInt8]([1, 2])))
        #expect(!ConstantTime.isEqual([UInt8]([0]), [UInt8]()))
        #expect(ConstantTime.isEqual([UInt8]([0, 255]), ArraySlice<UInt8>([9, 0, 255])[1...]))
        for position in 0..<32 {
            var other = [UInt8](repeating: 7, count: 32)
            other[position] ^= 0x80
            #expect(!ConstantTime.isEqual([UInt8](repeating: 7, count: 32), other))
        }
    }
}
