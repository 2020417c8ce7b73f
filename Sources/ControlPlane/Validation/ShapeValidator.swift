/// Checks an input value against its shape's constraints, the way AWS's front end does, and
/// phrases failures as AWS does:
///
/// `2 validation errors detected: Value 'a b' at 'thingName' failed to satisfy constraint:
/// Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+; Value null at 'principal'
/// failed to satisfy constraint: Member must not be null`
struct ShapeValidator {
    let model: ServiceModel
    /// Lowercases the first letter of member names in paths (query services' capitalised
    /// members are reported as `roleName`, as AWS does).
    let camelCasePaths: Bool
    private(set) var failures: [String] = []

    init(model: ServiceModel) {
        self.model = model
        self.camelCasePaths = model.wireProtocol == .query
    }

    /// The message for every failure found, or nil when the value is valid.
    static func validate(_ members: [String: AWSValue], shape: ShapeModel, model: ServiceModel) -> String? {
        var validator = ShapeValidator(model: model)
        validator.checkStructure(members, shape: shape, path: "")
        guard !validator.failures.isEmpty else { return nil }
        let count = validator.failures.count
        return "\(count) validation error\(count == 1 ? "" : "s") detected: "
            + validator.failures.joined(separator: "; ")
    }

    private func pathName(_ name: String) -> String {
        guard camelCasePaths, let first = name.first, first.isUppercase else { return name }
        return first.lowercased() + name.dropFirst()
    }

    private mutating func fail(_ value: AWSValue?, _ path: String, _ constraint: String) {
        let rendered = value.map { "'\(Self.render($0))'" } ?? "null"
        failures.append("Value \(rendered) at '\(path)' failed to satisfy constraint: \(constraint)")
    }

    mutating func checkStructure(_ members: [String: AWSValue], shape: ShapeModel, path: String) {
        for member in shape.members {
            let memberPath = path.isEmpty ? pathName(member.name) : path + "." + pathName(member.name)
            guard let value = members[member.name] else {
                if member.isRequired {
                    fail(nil, memberPath, "Member must not be null")
                }
                continue
            }
            check(value, shape: model.shape(member.shape), path: memberPath)
        }
    }

    mutating func check(_ value: AWSValue, shape: ShapeModel, path: String) {
        switch (shape.kind, value) {
        case (.structure, .map(let members)):
            checkStructure(members, shape: shape, path: path)
        case (.list, .list(let elements)):
            checkLength(value, count: elements.count, shape: shape, path: path)
            let memberShape = model.shape(shape.listMember!)
            for (offset, element) in elements.enumerated() {
                check(element, shape: memberShape, path: "\(path).\(offset + 1).member")
            }
        case (.map, .map(let entries)):
            checkLength(value, count: entries.count, shape: shape, path: path)
            let keyShape = model.shape(shape.mapKey!)
            let valueShape = model.shape(shape.mapValue!)
            for key in entries.keys.sorted() {
                check(.string(key), shape: keyShape, path: "\(path).\(key).member.key")
                check(entries[key]!, shape: valueShape, path: "\(path).\(key).member.value")
            }
        case (.string, .string(let string)):
            checkLength(value, count: string.utf16.count, shape: shape, path: path)
            if let pattern = shape.pattern, let compiled = model.patterns[pattern], !compiled.matches(string) {
                fail(value, path, "Member must satisfy regular expression pattern: \(pattern)")
            }
            if let allowed = shape.enumValues, !allowed.contains(string) {
                fail(value, path, "Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
            }
        case (.blob, .blob(let bytes)):
            checkLength(value, count: bytes.count, shape: shape, path: path)
        case (.integer, .integer(let number)), (.long, .integer(let number)):
            checkRange(value, Double(number), shape: shape, path: path)
        case (.double, .double(let number)), (.float, .double(let number)):
            checkRange(value, number, shape: shape, path: path)
        case (.double, .integer(let number)), (.float, .integer(let number)):
            checkRange(value, Double(number), shape: shape, path: path)
        default:
            break
        }
    }

    private mutating func checkLength(_ value: AWSValue, count: Int, shape: ShapeModel, path: String) {
        if let min = shape.min, Double(count) < min {
            fail(value, path, "Member must have length greater than or equal to \(Self.number(min))")
        }
        if let max = shape.max, Double(count) > max {
            fail(value, path, "Member must have length less than or equal to \(Self.number(max))")
        }
    }

    private mutating func checkRange(_ value: AWSValue, _ number: Double, shape: ShapeModel, path: String) {
        if let min = shape.min, number < min {
            fail(value, path, "Member must have value greater than or equal to \(Self.number(min))")
        }
        if let max = shape.max, number > max {
            fail(value, path, "Member must have value less than or equal to \(Self.number(max))")
        }
    }

    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Renders a value as AWS's messages show it (Java's `toString` of the member).
    static func render(_ value: AWSValue) -> String {
        switch value {
        case .string(let string): string
        case .integer(let number): String(number)
        case .double(let number): String(number)
        case .boolean(let flag): String(flag)
        case .timestamp(let date): String(date.timeIntervalSince1970)
        case .blob(let bytes): "java.nio.HeapByteBuffer[pos=0 lim=\(bytes.count) cap=\(bytes.count)]"
        case .list(let elements): "[" + elements.map(render).joined(separator: ", ") + "]"
        case .map(let entries):
            "{" + entries.keys.sorted().map { "\($0)=\(render(entries[$0]!))" }.joined(separator: ", ") + "}"
        }
    }
}
