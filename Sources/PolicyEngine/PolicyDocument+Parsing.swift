import JSON

extension PolicyDocument {
    /// Parses and validates a policy document.
    ///
    /// - Parameters:
    ///   - json: The document text.
    ///   - kind: Which kind of document it is, deciding the required and prohibited
    ///     elements (IoT policies are `.identity`).
    /// - Throws: ``PolicyDocumentError`` naming the first problem found.
    public init(json: String, kind: Kind = .identity) throws(PolicyDocumentError) {
        let root: JSONValue
        do {
            root = try JSONValue.parse(json, maximumDepth: PolicyDocument.maximumJSONDepth, allowsDuplicateKeys: false)
        } catch {
            throw PolicyDocumentError(
                .invalidJSON,
                "Policy document is not valid JSON: \(error.message) at offset \(error.offset)."
            )
        }
        self = try PolicyDocumentParser(kind: kind).document(root)
    }

    /// The deepest nesting of arrays and objects accepted; policies nest four levels.
    static let maximumJSONDepth = 32
}

/// Turns parsed JSON into a validated `PolicyDocument`.
private struct PolicyDocumentParser {
    let kind: PolicyDocument.Kind

    func document(_ root: JSONValue) throws(PolicyDocumentError) -> PolicyDocument {
        guard case .object(let members) = root else {
            throw PolicyDocumentError(.notAnObject, "Policy document must be a JSON object.")
        }
        var version: PolicyDocument.Version?
        var id: String?
        var statementValue: JSONValue?
        for member in members {
            switch member.key {
            case "Version":
                let text = try string(member.value, element: "Version")
                guard let parsed = PolicyDocument.Version(rawValue: text) else {
                    throw PolicyDocumentError(
                        .invalidVersion,
                        "The policy Version \"\(text)\" is not supported; use \"2012-10-17\" or \"2008-10-17\"."
                    )
                }
                version = parsed
            case "Id":
                id = try string(member.value, element: "Id")
            case "Statement":
                statementValue = member.value
            default:
                throw PolicyDocumentError(.unknownElement, "Unknown policy element \"\(member.key)\".")
            }
        }
        guard let statementValue else {
            throw PolicyDocumentError(.missingStatement, "Missing required field Statement.")
        }
        let statementObjects: [JSONValue]
        switch statementValue {
        case .object: statementObjects = [statementValue]
        case .array(let elements): statementObjects = elements
        default:
            throw PolicyDocumentError(
                .invalidType,
                "Statement must be an object or an array of objects, not \(statementValue.typeNameWithArticle)."
            )
        }
        guard !statementObjects.isEmpty else {
            throw PolicyDocumentError(.emptyStatement, "Statement must contain at least one statement.")
        }
        var statements: [PolicyStatement] = []
        var sids: Set<String> = []
        for (index, value) in statementObjects.enumerated() {
            let statement = try self.statement(value, index: index)
            if let sid = statement.sid, !sid.isEmpty, !sids.insert(sid).inserted {
                throw PolicyDocumentError(
                    .duplicateSid,
                    "Statement IDs (SID) in a single policy must be unique; \"\(sid)\" is repeated."
                )
            }
            statements.append(statement)
        }
        return PolicyDocument(version: version, id: id, statements: statements)
    }

    private func statement(_ value: JSONValue, index: Int) throws(PolicyDocumentError) -> PolicyStatement {
        guard case .object(let members) = value else {
            throw PolicyDocumentError(
                .notAnObject,
                "Statement \(index + 1) must be a JSON object, not \(value.typeNameWithArticle)."
            )
        }
        var sid: String?
        var effect: PolicyStatement.Effect?
        var actions: PolicyStatement.ElementList?
        var resources: PolicyStatement.ElementList?
        var principals: PrincipalElement?
        var conditions: [PolicyCondition] = []

        for member in members {
            switch member.key {
            case "Sid":
                sid = try string(member.value, element: "Sid")
            case "Effect":
                let text = try string(member.value, element: "Effect")
                guard let parsed = PolicyStatement.Effect(rawValue: text) else {
                    throw PolicyDocumentError(
                        .invalidEffect,
                        "Invalid effect \"\(text)\"; Effect must be \"Allow\" or \"Deny\"."
                    )
                }
                effect = parsed
            case "Action", "NotAction":
                guard actions == nil else {
                    throw PolicyDocumentError(
                        .conflictingElements,
                        "A statement cannot contain both Action and NotAction."
                    )
                }
                let values = try stringList(member.value, element: member.key)
                guard !values.isEmpty else {
                    throw PolicyDocumentError(.missingAction, "Policy statement must contain actions.")
                }
                for action in values { try validateAction(action) }
                actions = .init(values, isNegated: member.key == "NotAction")
            case "Resource", "NotResource":
                guard kind != .trust else {
                    throw PolicyDocumentError(.prohibitedElement, "Has prohibited field \(member.key).")
                }
                guard resources == nil else {
                    throw PolicyDocumentError(
                        .conflictingElements,
                        "A statement cannot contain both Resource and NotResource."
                    )
                }
                let values = try stringList(member.value, element: member.key)
                guard !values.isEmpty else {
                    throw PolicyDocumentError(.missingResource, "Policy statement must contain resources.")
                }
                for resource in values { try validateResource(resource) }
                resources = .init(values, isNegated: member.key == "NotResource")
            case "Principal", "NotPrincipal":
                guard kind != .identity else {
                    throw PolicyDocumentError(
                        .prohibitedElement,
                        "Policy document should not specify a principal."
                    )
                }
                guard principals == nil else {
                    throw PolicyDocumentError(
                        .conflictingElements,
                        "A statement cannot contain both Principal and NotPrincipal."
                    )
                }
                principals = try principal(member.value, isNegated: member.key == "NotPrincipal")
            case "Condition":
                conditions = try conditionBlock(member.value)
            default:
                throw PolicyDocumentError(.unknownElement, "Unknown statement element \"\(member.key)\".")
            }
        }

        guard let effect else {
            throw PolicyDocumentError(.missingEffect, "Missing required field Effect.")
        }
        guard let actions else {
            throw PolicyDocumentError(.missingAction, "Policy statement must contain actions.")
        }
        if kind != .trust && resources == nil {
            throw PolicyDocumentError(.missingResource, "Policy statement must contain resources.")
        }
        if kind != .identity && principals == nil {
            throw PolicyDocumentError(.missingPrincipal, "Missing required field Principal.")
        }
        return PolicyStatement(
            sid: sid,
            effect: effect,
            actions: actions,
            resources: resources,
            principals: principals,
            conditions: conditions
        )
    }

    // MARK: Elements

    private func string(_ value: JSONValue, element: String) throws(PolicyDocumentError) -> String {
        guard case .string(let text) = value else {
            throw PolicyDocumentError(.invalidType, "\(element) must be a string, not \(value.typeNameWithArticle).")
        }
        return text
    }

    /// A string, or an array of strings.
    private func stringList(_ value: JSONValue, element: String) throws(PolicyDocumentError) -> [String] {
        switch value {
        case .string(let text):
            return [text]
        case .array(let elements):
            var values: [String] = []
            values.reserveCapacity(elements.count)
            for item in elements {
                guard case .string(let text) = item else {
                    throw PolicyDocumentError(
                        .invalidType,
                        "\(element) values must be strings, not \(item.typeNameWithArticle)."
                    )
                }
                values.append(text)
            }
            return values
        default:
            throw PolicyDocumentError(
                .invalidType,
                "\(element) must be a string or an array of strings, not \(value.typeNameWithArticle)."
            )
        }
    }

    private func validateAction(_ action: String) throws(PolicyDocumentError) {
        if action == "*" { return }
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[0].isEmpty else {
            throw PolicyDocumentError(
                .invalidAction,
                "Action \"\(action)\" must be prefaced by a vendor, e.g., iot, iam, sns."
            )
        }
        guard parts.count == 2 else {
            throw PolicyDocumentError(.invalidAction, "Action \"\(action)\" can contain only one colon.")
        }
        guard !parts[1].isEmpty else {
            throw PolicyDocumentError(.invalidAction, "Action \"\(action)\" has no action name.")
        }
    }

    private func validateResource(_ resource: String) throws(PolicyDocumentError) {
        guard resource == "*" || resource.hasPrefix("arn:") else {
            throw PolicyDocumentError(
                .invalidResource,
                "Resource \"\(resource)\" must be in ARN format or \"*\"."
            )
        }
    }

    private func principal(_ value: JSONValue, isNegated: Bool) throws(PolicyDocumentError) -> PrincipalElement {
        let name = isNegated ? "NotPrincipal" : "Principal"
        var element = PrincipalElement(isNegated: isNegated)
        switch value {
        case .string("*"):
            element.isWildcard = true
            return element
        case .object(let members):
            guard !members.isEmpty else {
                throw PolicyDocumentError(.invalidPrincipal, "\(name) must name at least one principal.")
            }
            for member in members {
                let values = try stringList(member.value, element: "\(name) \(member.key)")
                guard !values.isEmpty, !values.contains(where: \.isEmpty) else {
                    throw PolicyDocumentError(
                        .invalidPrincipal,
                        "\(name) \(member.key) must not be empty."
                    )
                }
                switch member.key {
                case "AWS": element.aws = values
                case "Service": element.service = values
                case "Federated": element.federated = values
                case "CanonicalUser": element.canonicalUser = values
                default:
                    throw PolicyDocumentError(
                        .invalidPrincipal,
                        "Invalid principal type \"\(member.key)\"; use AWS, Service, Federated or CanonicalUser."
                    )
                }
            }
            return element
        default:
            throw PolicyDocumentError(
                .invalidPrincipal,
                "\(name) must be \"*\" or an object such as {\"Service\": \"iot.amazonaws.com\"}."
            )
        }
    }

    private func conditionBlock(_ value: JSONValue) throws(PolicyDocumentError) -> [PolicyCondition] {
        guard case .object(let operators) = value else {
            throw PolicyDocumentError(
                .invalidCondition, "Condition must be an object, not \(value.typeNameWithArticle).")
        }
        var conditions: [PolicyCondition] = []
        for operatorMember in operators {
            guard let conditionOperator = ConditionOperator(operatorMember.key) else {
                throw PolicyDocumentError(
                    .unknownConditionOperator,
                    "Invalid Condition type: \(operatorMember.key)."
                )
            }
            guard case .object(let keys) = operatorMember.value else {
                throw PolicyDocumentError(
                    .invalidCondition,
                    "Condition \(operatorMember.key) must map keys to values, not be \(operatorMember.value.typeNameWithArticle)."
                )
            }
            guard !keys.isEmpty else {
                throw PolicyDocumentError(.invalidCondition, "Condition \(operatorMember.key) has no keys.")
            }
            for keyMember in keys {
                let key = keyMember.key
                guard let colon = key.firstIndex(of: ":"), colon != key.startIndex else {
                    throw PolicyDocumentError(
                        .invalidCondition,
                        "Condition key \"\(key)\" must be prefaced by a vendor, e.g., aws, iot."
                    )
                }
                let values = try conditionValues(keyMember.value, key: key)
                conditions.append(PolicyCondition(operator: conditionOperator, key: key, values: values))
            }
        }
        return conditions
    }

    private func conditionValues(_ value: JSONValue, key: String) throws(PolicyDocumentError) -> [String] {
        if let scalar = scalarText(value) { return [scalar] }
        guard case .array(let elements) = value else {
            throw PolicyDocumentError(
                .invalidCondition,
                "Condition value for \(key) must be a string, number, boolean or an array of them, not \(value.typeNameWithArticle)."
            )
        }
        var values: [String] = []
        for element in elements {
            guard let scalar = scalarText(element) else {
                throw PolicyDocumentError(
                    .invalidCondition,
                    "Condition values for \(key) must be strings, numbers or booleans, not \(element.typeNameWithArticle)."
                )
            }
            values.append(scalar)
        }
        return values
    }

    private func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }
}

extension JSONValue {
    /// The type name with its article (`an object`, `a string`, `null`), for messages.
    fileprivate var typeNameWithArticle: String {
        switch self {
        case .object, .array: "an \(typeName)"
        case .string, .number, .bool: "a \(typeName)"
        case .null: typeName
        }
    }
}
