import AWSWire
import Foundation

/// Writes an operation's output as query-protocol XML, the way botocore's query parser reads
/// it:
///
/// ```xml
/// <CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
///   <CreateTopicResult><TopicArn>arn:aws:sns:…</TopicArn></CreateTopicResult>
///   <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
/// </CreateTopicResponse>
/// ```
///
/// Lists are `<member>` elements, maps `<entry><key/><value/></entry>`, timestamps ISO 8601,
/// blobs base64.
struct QueryXMLSerializer {
    let model: ServiceModel

    func response(_ output: OperationOutput, operation: OperationModel, requestId: String) -> AWSResponse {
        var xml = XMLWriter(indent: nil)
        xml.start(operation.name + "Response", attributes: [("xmlns", model.xmlNamespace ?? "")])
        if let outputName = operation.output {
            xml.start(operation.resultWrapper ?? operation.name + "Result")
            writeMembers(output.members, shape: model.shape(outputName), to: &xml)
            xml.end()
        }
        xml.start("ResponseMetadata")
        xml.element("RequestId", requestId)
        xml.end()
        xml.end()
        let body = xml.bytes
        return AWSResponse(
            status: operation.responseCode,
            headers: [
                HeaderField("x-amzn-RequestId", requestId),
                HeaderField("Content-Type", "text/xml"),
                HeaderField("Content-Length", String(body.count)),
            ],
            body: body)
    }

    private func writeMembers(_ members: [String: AWSValue], shape: ShapeModel, to xml: inout XMLWriter) {
        for member in shape.members {
            guard let value = members[member.name] else { continue }
            write(value, shape: model.shape(member.shape), name: member.wireName, to: &xml)
        }
    }

    private func write(_ value: AWSValue, shape: ShapeModel, name: String, to xml: inout XMLWriter) {
        switch (shape.kind, value) {
        case (.structure, .map(let members)):
            xml.start(name)
            writeMembers(members, shape: shape, to: &xml)
            xml.end()
        case (.list, .list(let elements)):
            let elementShape = model.shape(shape.listMember!)
            if shape.isFlattened {
                for element in elements {
                    write(element, shape: elementShape, name: shape.listMemberXMLName ?? name, to: &xml)
                }
            } else {
                xml.start(name)
                for element in elements {
                    write(element, shape: elementShape, name: shape.listMemberXMLName ?? "member", to: &xml)
                }
                xml.end()
            }
        case (.map, .map(let entries)):
            let keyShape = model.shape(shape.mapKey!)
            let valueShape = model.shape(shape.mapValue!)
            if !shape.isFlattened { xml.start(name) }
            for key in entries.keys.sorted() {
                xml.start(shape.isFlattened ? name : "entry")
                write(.string(key), shape: keyShape, name: shape.mapKeyXMLName ?? "key", to: &xml)
                write(entries[key]!, shape: valueShape, name: shape.mapValueXMLName ?? "value", to: &xml)
                xml.end()
            }
            if !shape.isFlattened { xml.end() }
        case (.structure, _), (.list, _), (.map, _):
            break
        default:
            xml.element(name, ScalarText.format(value, shape: shape, source: .queryProtocol))
        }
    }
}
