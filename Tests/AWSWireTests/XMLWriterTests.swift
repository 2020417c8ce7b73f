import AWSWire
import Testing

@Suite("XML writer")
struct XMLWriterTests {
    @Test func writesAnIndentedQueryResponse() {
        var xml = XMLWriter()
        xml.element("CreateTopicResponse", attributes: [("xmlns", AWSError.QueryNamespace.sns)]) { xml in
            xml.element("CreateTopicResult") { xml in
                xml.element("TopicArn", "arn:aws:sns:us-east-1:000000000000:alarms")
            }
            xml.start("ResponseMetadata")
            #expect(xml.openElements == ["CreateTopicResponse", "ResponseMetadata"])
            xml.element("RequestId", "r-1")
            xml.end()
        }
        #expect(xml.openElements.isEmpty)
        #expect(
            xml.text == """
                <CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
                  <CreateTopicResult>
                    <TopicArn>arn:aws:sns:us-east-1:000000000000:alarms</TopicArn>
                  </CreateTopicResult>
                  <ResponseMetadata>
                    <RequestId>r-1</RequestId>
                  </ResponseMetadata>
                </CreateTopicResponse>

                """)
        #expect(xml.bytes == Array(xml.text.utf8))
    }

    @Test func writesCompactlyWithADeclaration() {
        var xml = XMLWriter(indent: nil, declaration: true)
        xml.start("a", attributes: [("q", "x\"<&>\n\t'")])
        xml.element("b", "1 < 2")
        xml.start("empty")
        xml.end()
        xml.end()
        #expect(
            xml.text
                == #"<?xml version="1.0" encoding="UTF-8"?><a q="x&quot;&lt;&amp;&gt;&#xA;&#x9;&apos;"><b>1 &lt; 2</b><empty></empty></a>"#
        )
    }

    @Test func escapesText() {
        #expect(XMLWriter.escape("plain \u{2603}") == "plain \u{2603}")
        #expect(XMLWriter.escape("&<>\"'") == "&amp;&lt;&gt;&quot;&apos;")
        #expect(XMLWriter.escape("line\nnext\ttab\rcr") == "line\nnext\ttab&#xD;cr")
        #expect(XMLWriter.escape("bell\u{07}nul\u{00}\u{FFFE}") == "bell\u{FFFD}nul\u{FFFD}\u{FFFD}")
        #expect(XMLWriter.escape("&amp;") == "&amp;amp;")
    }
}
