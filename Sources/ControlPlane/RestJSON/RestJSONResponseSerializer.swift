import AWSWire
import Foundation

/// Writes an operation's output as a rest-json response: body members as JSON (timestamps
/// as epoch seconds, blobs as base64), header members as headers, a `statusCode` member as
/// the status, and a payload member as the whole body.
struct RestJSONResponseSerializer {
    let model: ServiceModel

    func response(_ output: OperationOutput, operation: OperationModel, requestId: String) -> AWSResponse {
        var status = operation.responseCode
        var headers: [HeaderField] = [HeaderField("x-amzn-RequestId", requestId)]
        var body: [UInt8]
        var contentType = "application/json"
        guard let outputName = operation.output else {
            headers.append(HeaderField("Content-Type", contentType))
            headers.append(HeaderField("Content-Length", "2"))
            return AWSResponse(status: status, headers: headers, body: Array("{}".utf8))
        }
        let shape = model.shape(outputName)
        for member in shape.members {
            guard let value = output.members[member.name] else { continue }
            let memberShape = model.shape(member.shape)
            switch member.location {
            case .header(let name):
                if member.isJSONValue, case .string(let json) = value {
                    headers.append(HeaderField(name, Data(json.utf8).base64EncodedString()))
                } else {
                    let text = ScalarText.format(
                        value, shape: memberShape.listMember.map(model.shape) ?? memberShape, source: .header,
                        timestampFormat: member.timestampFormat)
                    headers.append(HeaderField(name, text))
                }
            case .headers(let prefix):
                for (key, entry) in (value.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                    headers.append(HeaderField(prefix + key, entry.stringValue ?? ""))
                }
            case .statusCode:
                if let code = value.intValue { status = code }
            case .body, .uri, .querystring:
                continue
            }
        }
        if let payloadName = shape.payload, let payload = shape.member(named: payloadName) {
            let payloadShape = model.shape(payload.shape)
            switch (payloadShape.kind, output.members[payloadName]) {
            case (.blob, .blob(let bytes)?):
                body = bytes
                contentType = "application/octet-stream"
            case (.string, .string(let text)?):
                body = Array(text.utf8)
                contentType = "text/plain"
            case (_, let value?):
                var json = ""
                write(value, shape: payloadShape, to: &json)
                body = Array(json.utf8)
            case (_, nil):
                body = []
            }
        } else {
            var json = "{"
            var first = true
            for member in shape.members where member.location == .body {
                guard let value = output.members[member.name] else { continue }
                if !first { json += "," }
                first = false
                JSONString.append(member.wireName, to: &json)
                json += ":"
                write(value, shape: model.shape(member.shape), to: &json)
            }
            json += "}"
            body = Array(json.utf8)
        }
        headers.append(HeaderField("Content-Type", contentType))
        headers.append(HeaderField("Content-Length", String(body.count)))
        return AWSResponse(status: status, headers: headers, body: body)
    }

    /// Appends `value` as JSON of `shape`.
    func write(_ value: AWSValue, shape: ShapeModel, to json: inout String) {
        switch (shape.kind, value) {
        case (.structure, .map(let members)):
            json += "{"
            var first = true
            for member in shape.members {
                guard let element = members[member.name] else { continue }
                if !first { json += "," }
                first = false
                JSONString.append(member.wireName, to: &json)
                json += ":"
                write(element, shape: model.shape(member.shape), to: &json)
            }
            json += "}"
        case (.list, .list(let elements)):
            let elementShape = model.shape(shape.listMember!)
            json += "["
            for (offset, element) in elements.enumerated() {
                if offset > 0 { json += "," }
                write(element, shape: elementShape, to: &json)
            }
            json += "]"
        case (.map, .map(let entries)):
            let valueShape = model.shape(shape.mapValue!)
            json += "{"
            for (offset, key) in entries.keys.sorted().enumerated() {
                if offset > 0 { json += "," }
                JSONString.append(key, to: &json)
                json += ":"
                write(entries[key]!, shape: valueShape, to: &json)
            }
            json += "}"
        case (.timestamp, .timestamp(let date)):
            json += AWSTimestamp.epochSeconds(date)
        case (.blob, .blob(let bytes)):
            JSONString.append(Data(bytes).base64EncodedString(), to: &json)
        case (.blob, .string(let text)):
            JSONString.append(Data(text.utf8).base64EncodedString(), to: &json)
        case (.string, _):
            JSONString.append(ScalarText.format(value, shape: shape, source: .querystring), to: &json)
        case (_, .integer(let number)):
            json += String(number)
        case (_, .double(let number)):
            if number.isFinite {
                json += String(number)
            } else {
                JSONString.append(ScalarText.formatDouble(number), to: &json)
            }
        case (_, .boolean(let flag)):
            json += flag ? "true" : "false"
        case (_, .string(let text)):
            JSONString.append(text, to: &json)
        case (_, .timestamp(let date)):
            json += AWSTimestamp.epochSeconds(date)
        case (_, .blob(let bytes)):
            JSONString.append(Data(bytes).base64EncodedString(), to: &json)
        case (_, .list), (_, .map):
            json += "null"
        }
    }
}
