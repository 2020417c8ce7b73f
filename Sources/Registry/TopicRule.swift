import Foundation

/// A topic rule as stored: the `TopicRulePayload` JSON it was created or replaced with, and
/// the members `GetTopicRule` and `ListTopicRules` return.
public struct TopicRule: Sendable, Hashable {
    /// The name.
    public var ruleName: String
    /// `arn:aws:iot:REGION:ACCOUNT:rule/NAME`.
    public var ruleArn: String
    /// The rule's SQL.
    public var sql: String
    /// The topic filter of the SQL's `FROM` (`topicPattern` in listings).
    public var topicPattern: String
    /// The description, if any.
    public var description: String?
    /// The SQL version, if given.
    public var awsIotSqlVersion: String?
    /// Whether the rule is disabled. This, not the payload's `ruleDisabled`, is current after
    /// `EnableTopicRule`/`DisableTopicRule`.
    public var ruleDisabled: Bool
    /// When it was created.
    public var createdAt: Date
    /// The whole `TopicRulePayload` (actions, error action…) as JSON text.
    public var payload: String
}

/// A rule in `ListTopicRules`.
public struct TopicRuleSummary: Sendable, Hashable {
    /// The ARN.
    public var ruleArn: String
    /// The name.
    public var ruleName: String
    /// The topic filter of the SQL's `FROM`.
    public var topicPattern: String
    /// When it was created.
    public var createdAt: Date
    /// Whether it is disabled.
    public var ruleDisabled: Bool
}

/// The members of a `TopicRulePayload` the registry reads from its JSON.
struct TopicRulePayloadFields {
    var sql: String
    var description: String?
    var ruleDisabled: Bool
    var awsIotSqlVersion: String?

    init(json: String) throws(RegistryError) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw RegistryError.invalidRequest("The topicRulePayload is not a JSON object")
        }
        guard let sql = object["sql"] as? String else {
            throw RegistryError.invalidRequest(
                "1 validation error detected: Value null at 'topicRulePayload.sql' failed to satisfy constraint: "
                    + "Member must not be null")
        }
        guard object["actions"] is [Any] else {
            throw RegistryError.invalidRequest(
                "1 validation error detected: Value null at 'topicRulePayload.actions' failed to satisfy "
                    + "constraint: Member must not be null")
        }
        if let actions = object["actions"] as? [Any], actions.count > 10 {
            throw Validation.failure(
                "\(actions.count) actions", member: "topicRulePayload.actions",
                constraint: "Member must have length less than or equal to 10")
        }
        self.sql = sql
        self.description = object["description"] as? String
        self.ruleDisabled = (object["ruleDisabled"] as? Bool) ?? false
        self.awsIotSqlVersion = object["awsIotSqlVersion"] as? String
    }
}
