import Testing

@testable import Notifications

@Suite("E-mail validation and header injection")
struct EmailValidationTests {
    @Test(arguments: [
        "a@b.test", "first.last+tag@sub.example.com", "o'brien@example.org", "x@localhost", "user@[127.0.0.1]",
        "josé@exämple.test", "a_b-c@x-y.z",
    ])
    func validAddressesAreAccepted(address: String) throws {
        #expect(try EmailAddress(address).address == address)
    }

    @Test(arguments: [
        "", "no-at-sign", "@example.com", "user@", "a b@example.com", "user@exa mple.com",
        "user@example.com\r\nBcc: x@y.z",
        "user\n@example.com", "<user@example.com>", "user@example..com", ".user@example.com", "user.@example.com",
        "us..er@example.com", "user@-example.com", "\"quoted\"@example.com", "user@example.com\u{0}",
        String(repeating: "a", count: 65) + "@example.com", "user@exam\u{2028}ple.com",
    ])
    func invalidAddressesAreRefused(address: String) {
        #expect {
            _ = try EmailAddress(address)
        } throws: { error in
            (error as? EmailValidationError)?.code == .invalidAddress
        }
    }

    @Test(arguments: ["Alerts\r\nBcc: victim@example.com", "Alerts\n", "Al\rerts", "Null\u{0}", "Sep\u{2028}"])
    func displayNamesWithLineBreaksOrControlsAreRefused(name: String) {
        #expect {
            _ = try EmailAddress("a@b.test", displayName: name)
        } throws: { error in
            (error as? EmailValidationError)?.code == .invalidDisplayName
        }
    }

    @Test(arguments: [
        "Alert\r\nBcc: victim@example.com", "Alert\nX-Injected: 1", "Alert\rX: 1", "Alert\u{0}", "Alert\u{85}",
    ])
    func subjectsWithLineBreaksOrControlsAreRefused(subject: String) throws {
        let from = try EmailAddress("a@b.test")
        #expect {
            _ = try EmailMessage(from: from, to: [from], subject: subject, body: "")
        } throws: { error in
            (error as? EmailValidationError)?.code == .invalidSubject
        }
    }

    @Test func tabInSubjectIsAllowed() throws {
        let from = try EmailAddress("a@b.test")
        let message = try EmailMessage(from: from, to: [from], subject: "a\tb", body: "")
        #expect(MIMEDecoding.header("Subject", in: message.rendered()) == "a\tb")
    }

    @Test(arguments: [
        EmailMessage.Header("List-Unsubscribe", "<https://x.test>\r\nBcc: victim@example.com"),
        EmailMessage.Header("X-Test", "line\nbreak"),
        EmailMessage.Header("X-Test", "non-ascii é"),
        EmailMessage.Header("X-Bad:Name", "v"),
        EmailMessage.Header("X Bad", "v"),
        EmailMessage.Header("", "v"),
        EmailMessage.Header("Subject", "second subject"),
        EmailMessage.Header("content-type", "text/html"),
        EmailMessage.Header("X-Long", String(repeating: "y", count: 1000)),
    ])
    func badExtraHeadersAreRefused(header: EmailMessage.Header) throws {
        let from = try EmailAddress("a@b.test")
        #expect {
            _ = try EmailMessage(from: from, to: [from], subject: "s", body: "", headers: [header])
        } throws: { error in
            (error as? EmailValidationError)?.code == .invalidHeader
        }
    }

    @Test(arguments: ["no-at", "<id@x>", "id @x", "@x", "id@", "id@x\r\nBcc: y"])
    func badMessageIDsAreRefused(id: String) throws {
        let from = try EmailAddress("a@b.test")
        #expect {
            _ = try EmailMessage(from: from, to: [from], subject: "s", body: "", messageID: id)
        } throws: { error in
            (error as? EmailValidationError)?.code == .invalidMessageID
        }
    }

    @Test func aMessageNeedsARecipient() throws {
        let from = try EmailAddress("a@b.test")
        #expect(throws: EmailValidationError.self) {
            _ = try EmailMessage(from: from, to: [], subject: "s", body: "")
        }
    }

    @Test func bodyLineBreaksCannotInjectHeaders() throws {
        let from = try EmailAddress("a@b.test")
        let message = try EmailMessage(
            from: from,
            to: [from],
            subject: "s",
            body: "\r\nBcc: victim@example.com\r\n\r\nhello"
        )
        let split = MIMEDecoding.split(message.rendered())
        #expect(!split.headers.contains { $0.name == "Bcc" })
    }
}
