import NIOCore
import Testing

@testable import Notifications

@Suite("SMTP replies, capabilities and DATA encoding")
struct SMTPProtocolTests {
    static func parse(_ chunks: [String]) throws -> [SMTPReply] {
        var parser = SMTPReplyParser()
        var replies: [SMTPReply] = []
        for chunk in chunks {
            parser.append(ByteBuffer(string: chunk))
            while let reply = try parser.next() {
                replies.append(reply)
            }
        }
        return replies
    }

    @Test func singleAndMultiLineReplies() throws {
        let replies = try Self.parse([
            "220 mail.test ESMTP\r\n250-mail.test\r\n250-PIPELINING\r\n250 SIZE 1000\r\n354\r\n"
        ])
        #expect(
            replies == [
                SMTPReply(code: 220, lines: ["mail.test ESMTP"]),
                SMTPReply(code: 250, lines: ["mail.test", "PIPELINING", "SIZE 1000"]),
                SMTPReply(code: 354, lines: [""]),
            ]
        )
    }

    @Test func repliesSplitAtEveryByteAreReassembled() throws {
        let text = "250-first\r\n250-second\r\n250 third\r\n550 5.1.1 no such user\r\n"
        let replies = try Self.parse(text.map { String($0) })
        #expect(replies.map(\.code) == [250, 550])
        #expect(replies[0].lines == ["first", "second", "third"])
        #expect(replies[1].text == "5.1.1 no such user")
    }

    @Test func bareLFIsTolerated() throws {
        #expect(try Self.parse(["250-a\n250 b\n"]) == [SMTPReply(code: 250, lines: ["a", "b"])])
    }

    @Test func incompleteReplyWaitsForMoreBytes() throws {
        var parser = SMTPReplyParser()
        parser.append(ByteBuffer(string: "250-first\r\n250 sec"))
        #expect(try parser.next() == nil)
        #expect(parser.hasBufferedData)
        parser.append(ByteBuffer(string: "ond\r\n"))
        #expect(try parser.next()?.lines == ["first", "second"])
        #expect(!parser.hasBufferedData)
    }

    @Test(arguments: [
        ("hello\r\n", SMTPReplyParser.Failure.malformedLine),
        ("25\r\n", .malformedLine),
        ("250x\r\n", .malformedLine),
        ("099 too low\r\n", .malformedLine),
        ("700 too high\r\n", .malformedLine),
        ("250-a\r\n550 b\r\n", .inconsistentCode),
    ])
    func malformedRepliesAreRefused(text: String, failure: SMTPReplyParser.Failure) {
        #expect(throws: failure) { _ = try Self.parse([text]) }
    }

    @Test func overlongLinesAndRepliesAreRefused() {
        let longLine = "250 " + String(repeating: "x", count: SMTPReplyParser.maximumLineLength + 10)
        #expect(throws: SMTPReplyParser.Failure.replyTooLong) { _ = try Self.parse([longLine]) }
        #expect(throws: SMTPReplyParser.Failure.replyTooLong) { _ = try Self.parse([longLine + "\r\n"]) }
        let manyLines = String(repeating: "250-x\r\n", count: SMTPReplyParser.maximumLineCount + 1)
        #expect(throws: SMTPReplyParser.Failure.replyTooLong) { _ = try Self.parse([manyLines]) }
    }

    @Test func capabilitiesAreReadFromTheEHLOReply() throws {
        let reply = try #require(
            try Self.parse([
                "250-mail.test greets you\r\n250-pipelining\r\n250-STARTTLS\r\n250-AUTH LOGIN plain\r\n"
                    + "250-AUTH=CRAM-MD5\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
            ]).first
        )
        let capabilities = SMTPCapabilities(ehloReply: reply)
        #expect(capabilities.pipelining)
        #expect(capabilities.startTLS)
        #expect(capabilities.authMechanisms == ["LOGIN", "PLAIN", "CRAM-MD5"])
        #expect(capabilities.maximumMessageSize == 35_882_577)
        #expect(capabilities.eightBitMIME)
        #expect(capabilities.smtpUTF8)
    }

    @Test func greetingLineIsNotACapability() {
        let capabilities = SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["PIPELINING STARTTLS"]))
        #expect(!capabilities.pipelining && !capabilities.startTLS)
        #expect(SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["x", "SIZE"])).maximumMessageSize == nil)
    }

    static func encode(_ text: String) -> String {
        var buffer = ByteBuffer()
        SMTPDataEncoder.encode(Array(text.utf8), into: &buffer)
        return String(buffer: buffer)
    }

    @Test(arguments: [
        ("line\r\n", "line\r\n.\r\n"),
        ("no final newline", "no final newline\r\n.\r\n"),
        (".leading\r\n", "..leading\r\n.\r\n"),
        ("a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n"),
        ("a\r\n..\r\n", "a\r\n...\r\n.\r\n"),
        ("bare\nlf\n.dot\n", "bare\r\nlf\r\n..dot\r\n.\r\n"),
        ("bare\rcr\r.dot", "bare\r\ncr\r\n..dot\r\n.\r\n"),
        ("mixed\r\n\n\r\r\n", "mixed\r\n\r\n\r\n\r\n.\r\n"),
        ("in.the.middle . of lines\r\n", "in.the.middle . of lines\r\n.\r\n"),
        ("", ".\r\n"),
    ])
    func dataIsNormalisedAndDotStuffed(input: String, expected: String) {
        #expect(Self.encode(input) == expected)
    }
}
