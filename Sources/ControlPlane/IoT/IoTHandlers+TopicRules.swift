import AWSWire
import JSON
import Registry
import RulesEngine

/// Topic rule definitions: `CreateTopicRule`, `GetTopicRule`, `ListTopicRules`,
/// `ReplaceTopicRule`, `DeleteTopicRule`, `EnableTopicRule`, `DisableTopicRule`.
///
/// The SQL is parsed when a rule is created or replaced (`SqlParseException`); the rule's
/// topic is the filter of its `FROM`. The payload is stored as JSON of the model's
/// `TopicRulePayload` and returned as given by `GetTopicRule`.
extension IoTHandlers {
    var topicRuleOperations: [Operation] {
        [
            ("CreateTopicRule", createTopicRule), ("GetTopicRule", getTopicRule), ("ListTopicRules", listTopicRules),
            ("ReplaceTopicRule", replaceTopicRule), ("DeleteTopicRule", deleteTopicRule),
            ("EnableTopicRule", enableTopicRule), ("DisableTopicRule", disableTopicRule),
        ]
    }

    func createTopicRule(_ input: OperationInput) async throws -> OperationOutput {
        let ruleName = try input.required("ruleName")
        let (payload, statement) = try Self.topicRulePayload(input)
        try await registry.createTopicRule(
            ruleName: ruleName, payload: payload, topicPattern: statement.topicFilter,
            tags: Self.tags(tagging: input.string("tags")))
        return .empty
    }

    func getTopicRule(_ input: OperationInput) async throws -> OperationOutput {
        let rule = try await registry.getTopicRule(ruleName: try input.required("ruleName"))
        var members = try Self.payloadMembers(rule.payload)
        members["ruleName"] = .string(rule.ruleName)
        members["createdAt"] = .timestamp(rule.createdAt)
        members["ruleDisabled"] = .boolean(rule.ruleDisabled)
        return ["ruleArn": .string(rule.ruleArn), "rule": .map(members)]
    }

    func listTopicRules(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listTopicRules(
            topic: input.string("topic"), maxResults: input.int("maxResults"), nextToken: input.string("nextToken"),
            ruleDisabled: input.bool("ruleDisabled"))
        let rules: [AWSValue] = page.items.map {
            [
                "ruleArn": .string($0.ruleArn), "ruleName": .string($0.ruleName),
                "topicPattern": .string($0.topicPattern), "createdAt": .timestamp($0.createdAt),
                "ruleDisabled": .boolean($0.ruleDisabled),
            ]
        }
        var output: [String: AWSValue] = ["rules": .list(rules)]
        output.set("nextToken", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }

    func replaceTopicRule(_ input: OperationInput) async throws -> OperationOutput {
        let ruleName = try input.required("ruleName")
        let (payload, statement) = try Self.topicRulePayload(input)
        try await registry.replaceTopicRule(ruleName: ruleName, payload: payload, topicPattern: statement.topicFilter)
        return .empty
    }

    func deleteTopicRule(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.deleteTopicRule(ruleName: try input.required("ruleName"))
        return .empty
    }

    func enableTopicRule(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.enableTopicRule(ruleName: try input.required("ruleName"))
        return .empty
    }

    func disableTopicRule(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.disableTopicRule(ruleName: try input.required("ruleName"))
        return .empty
    }

    // MARK: Helpers

    /// The `topicRulePayload` member as JSON text, with its SQL parsed in the dialect of its
    /// `awsIotSqlVersion` (2015-10-08 when absent).
    ///
    /// - Throws: `SqlParseException` for SQL that does not parse, `InvalidRequestException`
    ///   for an unknown SQL version.
    static func topicRulePayload(_ input: OperationInput) throws(AWSError) -> (json: String, statement: SQLStatement) {
        guard let payload = input["topicRulePayload"] else {
            throw ServiceModel.iot.error(
                "InvalidRequestException",
                "1 validation error detected: Value null at 'topicRulePayload' failed to satisfy constraint: "
                    + "Member must not be null")
        }
        let sql = payload["sql"]?.stringValue ?? ""
        var version = SQLVersion.default
        if let text = payload["awsIotSqlVersion"]?.stringValue {
            guard let named = SQLVersion(rawValue: text) else {
                throw ServiceModel.iot.error(
                    "InvalidRequestException",
                    "The awsIotSqlVersion \(text) is not valid; use 2015-10-08, 2016-03-23 or beta")
            }
            version = named
        }
        let statement: SQLStatement
        do {
            statement = try SQLStatement(sql, version: version)
        } catch {
            throw ServiceModel.iot.error("SqlParseException", error.description)
        }
        let model = ServiceModel.iot
        var json = ""
        RestJSONResponseSerializer(model: model).write(payload, shape: model.shape("TopicRulePayload"), to: &json)
        return (json, statement)
    }

    /// The members of a stored `TopicRulePayload`, as the `TopicRule` shape names them.
    static func payloadMembers(_ json: String) throws -> [String: AWSValue] {
        let model = ServiceModel.iot
        let parsed = try JSONValue.parse(json)
        let value = try RestJSONRequestBinder(model: model).convert(
            parsed, shape: model.shape("TopicRulePayload"), path: "topicRulePayload")
        return value?.mapValue ?? [:]
    }

    /// The tags of the `x-amz-tagging` header: `key1=value1&key2=value2`, URL-encoded.
    static func tags(tagging: String?) -> [Tag] {
        guard let tagging, !tagging.isEmpty else { return [] }
        return tagging.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? AWSPercentEncoding.decode(parts[1], plusAsSpace: true) : ""
            return Tag(key: AWSPercentEncoding.decode(parts[0], plusAsSpace: true), value: value)
        }
    }
}
