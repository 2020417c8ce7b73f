import AWSWire
import Foundation
import Testing

@testable import Notifications

@Suite("EmailMessage rendering")
struct EmailMessageRenderingTests {
    static let date = Date(timeIntervalSince1970: 1_764_211_749)

    static func message(
        subject: String = "Temperature alert",
        body: String = "Sensor 7 reads 41 C.\n",
        from: EmailAddress? = nil,
        to: [EmailAddress]? = nil,
        headers: [EmailMessage.Header] = []
    ) throws -> EmailMessage {
        try EmailMessage(
            from: from ?? EmailAddress("alerts@thingport.test", displayName: "Thingport Alerts"),
            to: to ?? [EmailAddress("ops@example.com")],
            subject: subject,
            body: body,
            headers: headers,
            messageID: "0001@thingport.test",
            date: Self.date
        )
    }

    @Test func plainASCIIMessageIsRenderedExactly() throws {
        let rendered = try Self.message().rendered()
        let expected =
            "Date: Thu, 27 Nov 2025 02:49:09 +0000\r\n"
            + "From: Thingport Alerts <alerts@thingport.test>\r\n"
            + "To: ops@example.com\r\n"
            + "Subject: Temperature alert\r\n"
            + "Message-ID: <0001@thingport.test>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n"
            + "\r\n"
            + "Sensor 7 reads 41 C.\r\n"
        #expect(String(decoding: rendered, as: UTF8.self) == expected)
    }

    @Test func everyLineEndsInCRLFAndHasNoBareCROrLF() throws {
        let rendered = try Self.message(body: "one\ntwo\rthree\r\nfour\n\nsix").rendered()
        for (index, byte) in rendered.enumerated() {
            if byte == 10 { #expect(index > 0 && rendered[index - 1] == 13) }
            if byte == 13 { #expect(index + 1 < rendered.count && rendered[index + 1] == 10) }
        }
        let body = MIMEDecoding.split(rendered).body
        #expect(MIMEDecoding.lines(body) == ["one", "two", "three", "four", "", "six"])
    }

    @Test(arguments: [
        "Température élevée",
        "温度警报：传感器 7 的读数超过了阈值，请立即检查设备状态并确认告警已被处理完毕",
        "🔥 Alert 👩‍👩‍👧‍👦 family 🇳🇱 flag — long enough to need several encoded words, certainly",
        "Ünïcödé",
        String(repeating: "é", count: 200),
    ])
    func nonASCIISubjectIsEncodedAndFoldedAndDecodesBack(subject: String) throws {
        let rendered = try Self.message(subject: subject).rendered()
        let lines = MIMEDecoding.lines(rendered)
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        var subjectLines = [lines[start]]
        subjectLines += lines[(start + 1)...].prefix { $0.hasPrefix(" ") }
        for line in subjectLines {
            // RFC 2047 §2: lines with encoded-words at most 76 characters, each word at most 75.
            #expect(line.utf8.count <= 76)
            #expect(line.utf8.allSatisfy { $0 < 0x80 })
            for word in line.split(separator: " ") where word.hasPrefix("=?") {
                #expect(word.utf8.count <= 75)
                #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            }
        }
        let value = try #require(MIMEDecoding.header("Subject", in: rendered))
        #expect(MIMEDecoding.decodeEncodedWords(value) == subject)
    }

    @Test func encodedWordsNeverSplitACharacter() {
        let subject = String(repeating: "€", count: 40) + "👩‍👩‍👧‍👦"
        for word in EncodedWord.encode(subject) {
            let payload = word.dropFirst(10).dropLast(2)
            let bytes = Base64.decode(payload)
            #expect(bytes != nil && String(validating: bytes!, as: UTF8.self) != nil)
            #expect(bytes!.count <= EncodedWord.maximumOctetsPerWord)
        }
    }

    @Test func longASCIISubjectIsFoldedAtWhitespaceAndUnfoldsToTheOriginal() throws {
        let subject = (1...30).map { "word\($0)" }.joined(separator: " ")
        let rendered = try Self.message(subject: subject).rendered()
        let lines = MIMEDecoding.lines(rendered)
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        let continuation = lines[(start + 1)...].prefix { $0.hasPrefix(" ") }
        #expect(continuation.count >= 2)
        #expect(([lines[start]] + continuation).allSatisfy { $0.utf8.count <= 76 })
        #expect(MIMEDecoding.header("Subject", in: rendered) == subject)
        #expect(!String(decoding: rendered, as: UTF8.self).contains("=?"))
    }

    @Test func asciiSubjectThatLooksLikeAnEncodedWordIsEncoded() throws {
        let subject = "=?UTF-8?B?SGFja2Vk?= not really"
        let rendered = try Self.message(subject: subject).rendered()
        let value = try #require(MIMEDecoding.header("Subject", in: rendered))
        #expect(value != subject)
        #expect(MIMEDecoding.decodeEncodedWords(value) == subject)
    }

    @Test func unbreakableASCIISubjectLongerThanTheHardLimitIsEncoded() throws {
        let subject = String(repeating: "x", count: 1200)
        let rendered = try Self.message(subject: subject).rendered()
        #expect(MIMEDecoding.lines(rendered).allSatisfy { $0.utf8.count <= 998 })
        #expect(MIMEDecoding.decodeEncodedWords(MIMEDecoding.header("Subject", in: rendered)!) == subject)
    }

    @Test func emptySubjectRendersAnEmptyField() throws {
        let rendered = try Self.message(subject: "").rendered()
        #expect(MIMEDecoding.lines(rendered).contains("Subject:"))
    }

    @Test(arguments: [
        ("Thingport Alerts", "Thingport Alerts <a@b.test>"),
        ("Smith, John", "\"Smith, John\" <a@b.test>"),
        ("Dr. Who", "\"Dr. Who\" <a@b.test>"),
        ("say \"hi\" \\ there", "\"say \\\"hi\\\" \\\\ there\" <a@b.test>"),
        ("=?UTF-8?B?SGk=?=", "\"=?UTF-8?B?SGk=?=\" <a@b.test>"),
        ("two  spaces", "\"two  spaces\" <a@b.test>"),
        ("<admin@bank.test>", "\"<admin@bank.test>\" <a@b.test>"),
    ])
    func asciiDisplayNamesAreAtomsOrQuotedStrings(name: String, expected: String) throws {
        #expect(EmailMessage.mailbox(try EmailAddress("a@b.test", displayName: name)) == expected)
    }

    @Test func nonASCIIDisplayNameIsEncoded() throws {
        let name = "Zoë Ümlaut, Ops"
        let rendered = try Self.message(to: [EmailAddress("zoe@example.com", displayName: name)]).rendered()
        let to = try #require(MIMEDecoding.header("To", in: rendered))
        #expect(to.hasPrefix("=?UTF-8?B?"))
        #expect(to.hasSuffix(" <zoe@example.com>"))
        let phrase = String(to.dropLast(" <zoe@example.com>".count))
        #expect(MIMEDecoding.decodeEncodedWords(phrase) == name)
    }

    @Test func manyRecipientsAreFoldedAfterCommas() throws {
        let recipients = try (1...12).map { try EmailAddress("recipient\($0)@example.com") }
        let rendered = try Self.message(to: recipients).rendered()
        let lines = MIMEDecoding.lines(rendered)
        let start = try #require(lines.firstIndex { $0.hasPrefix("To: ") })
        let continuation = lines[(start + 1)...].prefix { $0.hasPrefix(" ") }
        #expect(!continuation.isEmpty)
        #expect(([lines[start]] + continuation).allSatisfy { $0.utf8.count <= 76 })
        #expect(
            MIMEDecoding.header("To", in: rendered) == recipients.map(\.address).joined(separator: ", ")
        )
    }

    @Test func extraHeadersAreRenderedAndFolded() throws {
        let unsubscribe =
            "<https://thingport.test/unsubscribe?SubscriptionArn=arn:aws:sns:us-east-1:000000000000:alerts:1>"
        let rendered = try Self.message(headers: [
            .init("List-Unsubscribe", unsubscribe),
            .init(
                "X-Thingport-Topic", "arn:aws:sns:us-east-1:000000000000:alerts with a long tail of words to fold here"),
        ]).rendered()
        #expect(MIMEDecoding.header("List-Unsubscribe", in: rendered) == unsubscribe)
        #expect(
            MIMEDecoding.header("X-Thingport-Topic", in: rendered)
                == "arn:aws:sns:us-east-1:000000000000:alerts with a long tail of words to fold here"
        )
        let text = String(decoding: rendered, as: UTF8.self)
        #expect(text.contains("\r\nList-Unsubscribe: <https://"))
    }

    @Test func defaultMessageIDIsARandomIDAtTheAuthorsDomain() throws {
        let first = try EmailMessage(
            from: EmailAddress("a@thingport.test"), to: [EmailAddress("b@example.com")], subject: "s", body: "b"
        )
        let second = try EmailMessage(
            from: EmailAddress("a@thingport.test"), to: [EmailAddress("b@example.com")], subject: "s", body: "b"
        )
        #expect(first.messageID.hasSuffix("@thingport.test"))
        #expect(first.messageID != second.messageID)
        #expect(MIMEDecoding.header("Message-ID", in: first.rendered()) == "<\(first.messageID)>")
    }

    @Test func internationalisedAddressNeedsSMTPUTF8AndIsWrittenRaw() throws {
        let plain = try Self.message()
        #expect(!plain.requiresSMTPUTF8)
        let utf8 = try Self.message(to: [EmailAddress("josé@exämple.test")])
        #expect(utf8.requiresSMTPUTF8)
        #expect(MIMEDecoding.header("To", in: utf8.rendered()) == "josé@exämple.test")
    }

    @Test(arguments: [
        ("short ascii\nlines only", "7bit"),
        ("tab\tis fine", "7bit"),
        (String(repeating: "a", count: 78), "7bit"),
        (String(repeating: "a", count: 79), "quoted-printable"),
        ("café", "quoted-printable"),
        ("bell \u{07}", "quoted-printable"),
        ("", "7bit"),
    ])
    func transferEncodingIs7bitOnlyForShortPrintableASCII(body: String, expected: String) throws {
        let rendered = try Self.message(body: body).rendered()
        #expect(MIMEDecoding.header("Content-Transfer-Encoding", in: rendered) == expected)
        #expect(MIMEDecoding.lines(rendered).allSatisfy { $0.utf8.count <= 78 })
        #expect(rendered.allSatisfy { $0 < 0x80 })
    }

    @Test(arguments: [
        "Héllo wörld\nSecond line with = sign and trailing space \nTabbed\t\n\n.leading dot\n",
        String(repeating: "Ünïcödé text that wraps ", count: 20),
        "a = b; c == d ✓\r\nend=",
        String(repeating: "=", count: 100) + "\n" + String(repeating: " ", count: 100),
        "ends without newline ✓",
    ])
    func quotedPrintableBodyRoundTrips(body: String) throws {
        let rendered = try Self.message(body: body).rendered()
        #expect(MIMEDecoding.header("Content-Transfer-Encoding", in: rendered) == "quoted-printable")
        let decoded = try #require(MIMEDecoding.decodeQuotedPrintable(MIMEDecoding.split(rendered).body))
        let expected = EmailMessage.lines(of: body).map { String(decoding: $0, as: UTF8.self) + "\r\n" }.joined()
        #expect(String(decoding: decoded, as: UTF8.self) == expected)
    }
}
