import PolicyEngine
import Testing

@Suite("IP address ranges")
struct IPAddressRangeTests {
    @Test(
        "valid ranges",
        arguments: [
            ("10.0.0.0/8", 8),
            ("192.0.2.1", 32),
            ("0.0.0.0/0", 0),
            ("203.0.113.77/24", 24),
            ("2001:db8::/32", 32),
            ("::1", 128),
            ("::", 128),
            ("::/0", 0),
            ("fe80::1:2/64", 64),
            ("2001:DB8:0:0:0:0:0:1/128", 128),
            ("::ffff:192.0.2.1/128", 128),
            ("1:2:3:4:5:6:7::", 128),
        ]
    )
    func valid(text: String, prefixLength: Int) throws {
        let range = try #require(IPAddressRange(text))
        #expect(range.prefixLength == prefixLength)
    }

    @Test(
        "invalid ranges",
        arguments: [
            "", "10.0.0", "10.0.0.0.0", "256.0.0.1", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8",
            "1.2.3.a", "::1/129", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1", "1:", "12345::", "g::", "::1.2.3", "1.2.3.4:80",
            "localhost",
        ]
    )
    func invalid(text: String) {
        #expect(IPAddressRange(text) == nil)
    }

    @Test(
        "containment",
        arguments: [
            ("203.0.113.0/24", "203.0.113.0", true),
            ("203.0.113.0/24", "203.0.113.255", true),
            ("203.0.113.0/24", "203.0.112.255", false),
            ("203.0.113.77/24", "203.0.113.1", true),
            ("10.0.0.0/8", "10.255.255.255", true),
            ("10.0.0.0/8", "11.0.0.0", false),
            ("0.0.0.0/0", "198.51.100.1", true),
            ("0.0.0.0/0", "2001:db8::1", false),
            ("192.0.2.1/31", "192.0.2.0", true),
            ("192.0.2.1/31", "192.0.2.2", false),
            ("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true),
            ("2001:db8::/32", "2001:db9::", false),
            ("2001:db8:0:0:8000::/65", "2001:db8::8000:0:0:1", true),
            ("2001:db8:0:0:8000::/65", "2001:db8::1", false),
            ("::/0", "::1", true),
            ("::1", "::1", true),
            ("::1", "::2", false),
            ("10.0.0.0/8", "::ffff:10.0.0.1", true),
            ("10.0.0.0/8", "::ffff:11.0.0.1", false),
            ("::ffff:10.0.0.0/104", "::ffff:10.1.1.1", true),
            ("10.0.0.0/8", "not-an-ip", false),
        ]
    )
    func containment(range: String, address: String, expected: Bool) throws {
        let block = try #require(IPAddressRange(range))
        #expect(block.contains(address) == expected)
    }
}
