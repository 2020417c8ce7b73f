import AWSWire

/// Reads a query-protocol operation's input from its form parameters, typed by the model:
/// structures as `Name.Member`, lists as `Name.member.N`, maps as `Name.entry.N.key` /
/// `Name.entry.N.value` (or the element names the model gives), N counted from 1.
struct QueryRequestBinder {
    let model: ServiceModel

    /// Binds `parameters` to `operation`'s input shape.
    ///
    /// - Throws: ``AWSError``: the service's validation error for text that is not a value
    ///   of its member's type.
    func bind(_ parameters: [String: String], operation: OperationModel) throws(AWSError) -> OperationInput {
        var input = OperationInput(operation: operation.name)
        guard let inputName = operation.input else { return input }
        let index = ParameterIndex(parameters)
        if case .map(let members)? = try structure(index, shape: model.shape(inputName), prefix: "") {
            input.members = members
        }
        return input
    }

    private func structure(_ index: ParameterIndex, shape: ShapeModel, prefix: String) throws(AWSError) -> AWSValue? {
        var members: [String: AWSValue] = [:]
        for member in shape.members {
            let key = prefix + member.wireName
            if let value = try value(index, shape: model.shape(member.shape), key: key, path: member.name) {
                members[member.name] = value
            }
        }
        return members.isEmpty && !prefix.isEmpty ? nil : .map(members)
    }

    private func value(_ index: ParameterIndex, shape: ShapeModel, key: String, path: String) throws(AWSError)
        -> AWSValue?
    {
        switch shape.kind {
        case .structure:
            guard index.hasChildren(of: key) else { return nil }
            return try structure(index, shape: shape, prefix: key + ".")
        case .list:
            let elementShape = model.shape(shape.listMember!)
            let base = shape.isFlattened ? key : key + "." + (shape.listMemberXMLName ?? "member")
            let positions = index.positions(under: base)
            if positions.isEmpty {
                return index.values[key] != nil ? .list([]) : nil
            }
            var elements: [AWSValue] = []
            for position in positions {
                if let element = try value(index, shape: elementShape, key: "\(base).\(position)", path: path) {
                    elements.append(element)
                }
            }
            return .list(elements)
        case .map:
            let keyShape = model.shape(shape.mapKey!)
            let valueShape = model.shape(shape.mapValue!)
            let base = shape.isFlattened ? key : key + ".entry"
            let positions = index.positions(under: base)
            if positions.isEmpty {
                return index.values[key] != nil ? .map([:]) : nil
            }
            var entries: [String: AWSValue] = [:]
            for position in positions {
                let entry = "\(base).\(position)."
                guard
                    case .string(let entryKey)? = try value(
                        index, shape: keyShape, key: entry + (shape.mapKeyXMLName ?? "key"), path: path),
                    entries[entryKey] == nil
                else { continue }
                let entryValue = try value(
                    index, shape: valueShape, key: entry + (shape.mapValueXMLName ?? "value"), path: path)
                entries[entryKey] = entryValue ?? (valueShape.kind == .string ? .string("") : nil)
            }
            return .map(entries)
        default:
            guard let text = index.values[key] else { return nil }
            guard let scalar = ScalarText.parse(text, shape: shape, source: .queryProtocol) else {
                throw model.validationError(
                    "1 validation error detected: Value '\(text)' at '\(path)' failed to satisfy constraint: "
                        + "Member must be a valid \(shape.kind.rawValue)")
            }
            return scalar
        }
    }
}

/// Form parameters with the lookups the binder needs.
private struct ParameterIndex {
    let values: [String: String]

    init(_ values: [String: String]) {
        self.values = values
    }

    /// Whether any parameter is named `key.…`.
    func hasChildren(of key: String) -> Bool {
        let lead = key + "."
        return values.keys.contains { $0.hasPrefix(lead) }
    }

    /// The positions N ≥ 1 of parameters named `base.N` or `base.N.…`, in order.
    func positions(under base: String) -> [Int] {
        let lead = base + "."
        var positions: Set<Int> = []
        for name in values.keys where name.hasPrefix(lead) {
            let rest = name.dropFirst(lead.count)
            let digits = rest.prefix { $0 != "." }
            if let position = Int(digits), position >= 1, String(position) == digits {
                positions.insert(position)
            }
        }
        return positions.sorted()
    }
}
