import AWSWire
import Foundation
import JSON

/// Gathers a rest-json operation's input from the URI labels, query string, headers and JSON
/// body into one ``OperationInput``, typed by the model.
struct RestJSONRequestBinder {
    let model: ServiceModel

    /// Binds `request` to `operation`'s input shape.
    ///
    /// - Throws: ``AWSError``: `SerializationException` for a body that is not JSON of the
    ///   right types, the service's validation error for text that is not a value of its type.
    func bind(_ request: APIRequest, operation: OperationModel, labels: [String: String]) throws(AWSError)
        -> OperationInput
    {
        var input = OperationInput(operation: operation.name)
        guard let inputName = operation.input else { return input }
        let shape = model.shape(inputName)
        let query = request.queryItems

        if let payloadName = shape.payload, let payload = shape.member(named: payloadName) {
            let payloadShape = model.shape(payload.shape)
            switch payloadShape.kind {
            case .blob:
                if !request.body.isEmpty { input.members[payloadName] = .blob(request.body) }
            case .string:
                if !request.body.isEmpty {
                    input.members[payloadName] = .string(String(decoding: request.body, as: UTF8.self))
                }
            default:
                if let json = try parseBody(request.body),
                    let value = try convert(json, shape: payloadShape, path: payloadName)
                {
                    input.members[payloadName] = value
                }
            }
        } else if let json = try parseBody(request.body) {
            guard case .object = json else {
                throw model.serializationError("Start of structure or map found where not expected.")
            }
            for member in shape.members where member.location == .body {
                guard let element = json[member.wireName],
                    let value = try convert(element, shape: model.shape(member.shape), path: member.name)
                else { continue }
                input.members[member.name] = value
            }
        }

        var boundQueryNames: Set<String> = []
        for member in shape.members {
            if case .querystring(let name) = member.location { boundQueryNames.insert(name) }
        }
        for member in shape.members {
            let memberShape = model.shape(member.shape)
            switch member.location {
            case .body, .statusCode:
                continue
            case .uri(let label):
                guard let text = labels[label] else { continue }
                input.members[member.name] = try scalar(text, member: member, shape: memberShape, source: .uri)
            case .querystring(let name):
                switch memberShape.kind {
                case .map:
                    let valueShape = model.shape(memberShape.mapValue!)
                    var entries: [String: AWSValue] = [:]
                    for item in query where !boundQueryNames.contains(item.name) && entries[item.name] == nil {
                        if valueShape.kind == .list {
                            let values = query.filter { $0.name == item.name }.map { AWSValue.string($0.value) }
                            entries[item.name] = .list(values)
                        } else {
                            entries[item.name] = .string(item.value)
                        }
                    }
                    if !entries.isEmpty { input.members[member.name] = .map(entries) }
                case .list:
                    let elementShape = model.shape(memberShape.listMember!)
                    var elements: [AWSValue] = []
                    for item in query where item.name == name {
                        elements.append(
                            try scalar(item.value, member: member, shape: elementShape, source: .querystring))
                    }
                    if !elements.isEmpty { input.members[member.name] = .list(elements) }
                default:
                    guard let item = query.first(where: { $0.name == name }) else { continue }
                    input.members[member.name] = try scalar(
                        item.value, member: member, shape: memberShape, source: .querystring)
                }
            case .header(let name):
                let values = request.headers.values(named: name)
                guard !values.isEmpty else { continue }
                if memberShape.kind == .list {
                    let elementShape = model.shape(memberShape.listMember!)
                    var elements: [AWSValue] = []
                    for part in values.joined(separator: ",").split(separator: ",") {
                        let text = part.trimmingHorizontalWhitespace()
                        elements.append(try scalar(text, member: member, shape: elementShape, source: .header))
                    }
                    input.members[member.name] = .list(elements)
                } else if member.isJSONValue {
                    guard let decoded = Data(base64Encoded: values[0]) else {
                        throw model.serializationError("Header \(name) is not base64-encoded JSON.")
                    }
                    input.members[member.name] = .string(String(decoding: decoded, as: UTF8.self))
                } else {
                    input.members[member.name] = try scalar(
                        values.joined(separator: ","), member: member, shape: memberShape, source: .header)
                }
            case .headers(let prefix):
                var entries: [String: AWSValue] = [:]
                for field in request.headers where field.name.lowercased().hasPrefix(prefix.lowercased()) {
                    entries[String(field.name.dropFirst(prefix.count))] = .string(field.value)
                }
                if !entries.isEmpty { input.members[member.name] = .map(entries) }
            }
        }
        return input
    }

    private func parseBody(_ body: [UInt8]) throws(AWSError) -> JSONValue? {
        guard body.contains(where: { !$0.isJSONWhitespace }) else { return nil }
        do {
            return try JSONValue.parse(body)
        } catch {
            throw model.serializationError("The request body is not valid JSON: \(error).")
        }
    }

    private func scalar(_ text: String, member: ShapeModel.Member, shape: ShapeModel, source: ScalarText.Source)
        throws(AWSError) -> AWSValue
    {
        guard let value = ScalarText.parse(text, shape: shape, source: source, timestampFormat: member.timestampFormat)
        else {
            throw model.validationError(
                "1 validation error detected: Value '\(text)' at '\(member.name)' failed to satisfy constraint: "
                    + "Member must be a valid \(shape.kind.rawValue)")
        }
        return value
    }

    /// Converts a JSON value to a value of `shape`; nil for JSON `null`.
    func convert(_ json: JSONValue, shape: ShapeModel, path: String) throws(AWSError) -> AWSValue? {
        switch (shape.kind, json) {
        case (_, .null):
            return nil
        case (.structure, .object):
            var members: [String: AWSValue] = [:]
            for member in shape.members {
                guard let element = json[member.wireName],
                    let value = try convert(element, shape: model.shape(member.shape), path: path + "." + member.name)
                else { continue }
                members[member.name] = value
            }
            return .map(members)
        case (.list, .array(let array)):
            let elementShape = model.shape(shape.listMember!)
            var elements: [AWSValue] = []
            elements.reserveCapacity(array.count)
            for (offset, element) in array.enumerated() {
                if let value = try convert(element, shape: elementShape, path: "\(path).\(offset + 1)") {
                    elements.append(value)
                }
            }
            return .list(elements)
        case (.map, .object(let members)):
            let valueShape = model.shape(shape.mapValue!)
            // A repeated key keeps its last value, as JSON readers do.
            var object: [String: JSONValue] = [:]
            for member in members { object[member.key] = member.value }
            var entries: [String: AWSValue] = [:]
            for (key, element) in object {
                if let value = try convert(element, shape: valueShape, path: path + "." + key) {
                    entries[key] = value
                }
            }
            return .map(entries)
        case (.string, .string(let string)):
            return .string(string)
        case (.boolean, .bool(let flag)):
            return .boolean(flag)
        case (.integer, .number(let text)), (.long, .number(let text)):
            if let number = Int64(text) { return .integer(number) }
            if let number = Double(text), number.rounded() == number, let exact = Int64(exactly: number) {
                return .integer(exact)
            }
        case (.double, .number(let text)), (.float, .number(let text)):
            if let number = Double(text) { return .double(number) }
        case (.double, .string(let text)), (.float, .string(let text)):
            switch text {
            case "NaN": return .double(.nan)
            case "Infinity": return .double(.infinity)
            case "-Infinity": return .double(-.infinity)
            default: break
            }
        case (.timestamp, .number(let text)):
            if let date = AWSTimestamp.parseEpochSeconds(text) { return .timestamp(date) }
        case (.timestamp, .string(let text)):
            if let date = AWSTimestamp.parseISO8601(text) ?? AWSTimestamp.parseEpochSeconds(text) {
                return .timestamp(date)
            }
        case (.blob, .string(let text)):
            if let data = Data(base64Encoded: text) { return .blob(Array(data)) }
        default:
            break
        }
        throw model.serializationError(
            "Unexpected \(json.typeName) at '\(path)': expected \(shape.kind.rawValue) (\(shape.name)).")
    }
}

extension UInt8 {
    fileprivate var isJSONWhitespace: Bool {
        self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D
    }
}
