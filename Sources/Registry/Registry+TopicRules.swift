import SQLKit

extension Registry {
    /// `CreateTopicRule`: stores the rule's `TopicRulePayload` JSON with its SQL, enabled
    /// flag and creation date. The SQL is not parsed here: the caller parses it first
    /// (`SqlParseException`) and passes the `FROM` topic as `topicPattern`.
    ///
    /// - Parameters:
    ///   - payload: The `topicRulePayload` member as JSON text (`sql` and `actions` required).
    ///   - topicPattern: The topic filter of the SQL's `FROM`.
    ///   - tags: Tags of the new rule (the `x-amz-tagging` header, parsed).
    /// - Throws: `ResourceAlreadyExistsException` when the name is taken;
    ///   `InvalidRequestException` for an invalid name, payload or tags.
    @discardableResult
    public func createTopicRule(
        ruleName: String, payload: String, topicPattern: String, tags: [Tag] = []
    ) async throws -> TopicRule {
        try Validation.ruleName(ruleName)
        let fields = try TopicRulePayloadFields(json: payload)
        try Self.validate(tags: tags)
        return try await write { db, changes in
            let arn = scope.arn(.rule(ruleName))
            if try await fetchTopicRule(ruleName, db) != nil {
                throw RegistryError(
                    code: .resourceAlreadyExists, message: "Rule with given name already exists",
                    resourceId: ruleName, resourceArn: arn)
            }
            let created = now()
            try await db.raw(
                """
                INSERT INTO topic_rules (rule_name, rule_arn, sql_text, topic_pattern, description, aws_iot_sql_version,
                    rule_disabled, payload, created_at, last_modified_date)
                VALUES (\(bind: ruleName), \(bind: arn), \(bind: fields.sql), \(bind: topicPattern),
                    \(bind: fields.description), \(bind: fields.awsIotSqlVersion), \(bind: fields.ruleDisabled ? 1 : 0),
                    \(bind: payload), \(bind: created), \(bind: created))
                """
            ).run()
            try await insertTags(tags, resourceArn: arn, db)
            changes.record(.topicRuleChanged(ruleName: ruleName))
            return try await fetchTopicRule(ruleName, db)!
        }
    }

    /// `GetTopicRule`.
    ///
    /// - Throws: `UnauthorizedException` ("Access to topic rule '…' was denied") when the rule
    ///   does not exist: what AWS answers, since the model lists no not-found error for it.
    public func getTopicRule(ruleName: String) async throws -> TopicRule {
        try Validation.ruleName(ruleName)
        guard let rule = try await read({ try await fetchTopicRule(ruleName, $0) }) else {
            throw Self.ruleAccessDenied(ruleName)
        }
        return rule
    }

    /// Every enabled rule with its payload: what the rules engine loads at start.
    public func enabledTopicRules() async throws -> [TopicRule] {
        try await read { db in
            try await db.raw("SELECT * FROM topic_rules WHERE rule_disabled = 0 ORDER BY rule_name").all().map {
                try topicRule(from: $0)
            }
        }
    }

    /// `ListTopicRules`, by name; `topic` keeps the rules whose `FROM` topic is exactly it,
    /// `ruleDisabled` those enabled (false) or disabled (true).
    public func listTopicRules(
        topic: String? = nil, maxResults: Int? = nil, nextToken: String? = nil, ruleDisabled: Bool? = nil
    ) async throws -> Page<TopicRuleSummary> {
        let size = try PageToken.size(maxResults, maximum: 10_000)
        let after = try PageToken.decode(nextToken, parts: 1)?[0]
        return try await read { db in
            var query: SQLQueryString =
                "SELECT rule_name, rule_arn, topic_pattern, created_at, rule_disabled FROM topic_rules WHERE 1 = 1"
            if let topic { query += " AND topic_pattern = \(bind: topic)" }
            if let ruleDisabled { query += " AND rule_disabled = \(bind: ruleDisabled ? 1 : 0)" }
            if let after { query += " AND rule_name > \(bind: after)" }
            query += " ORDER BY rule_name LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("rule_name")) ?? ""] }) { row in
                TopicRuleSummary(
                    ruleArn: try row.string("rule_arn"), ruleName: try row.string("rule_name"),
                    topicPattern: try row.string("topic_pattern"), createdAt: try row.date("created_at"),
                    ruleDisabled: try row.bool("rule_disabled"))
            }
        }
    }

    /// `ReplaceTopicRule`: replaces the payload, SQL and enabled flag; the ARN, creation date
    /// and tags stay.
    ///
    /// - Throws: `UnauthorizedException` when the rule does not exist;
    ///   `InvalidRequestException` for an invalid payload.
    public func replaceTopicRule(ruleName: String, payload: String, topicPattern: String) async throws {
        try Validation.ruleName(ruleName)
        let fields = try TopicRulePayloadFields(json: payload)
        try await write { db, changes in
            guard try await fetchTopicRule(ruleName, db) != nil else { throw Self.ruleAccessDenied(ruleName) }
            try await db.raw(
                """
                UPDATE topic_rules SET sql_text = \(bind: fields.sql), topic_pattern = \(bind: topicPattern),
                    description = \(bind: fields.description), aws_iot_sql_version = \(bind: fields.awsIotSqlVersion),
                    rule_disabled = \(bind: fields.ruleDisabled ? 1 : 0), payload = \(bind: payload),
                    last_modified_date = \(bind: now())
                WHERE rule_name = \(bind: ruleName)
                """
            ).run()
            changes.record(.topicRuleChanged(ruleName: ruleName))
        }
    }

    /// `DeleteTopicRule`, with its tags. Deleting a rule that does not exist succeeds, as on
    /// AWS.
    public func deleteTopicRule(ruleName: String) async throws {
        try Validation.ruleName(ruleName)
        try await write { db, changes in
            guard let rule = try await fetchTopicRule(ruleName, db) else { return }
            try await db.raw("DELETE FROM topic_rules WHERE rule_name = \(bind: ruleName)").run()
            try await deleteTags(of: rule.ruleArn, db)
            changes.record(.topicRuleChanged(ruleName: ruleName))
        }
    }

    /// `EnableTopicRule`.
    ///
    /// - Throws: `UnauthorizedException` when the rule does not exist.
    public func enableTopicRule(ruleName: String) async throws {
        try await setTopicRule(ruleName, disabled: false)
    }

    /// `DisableTopicRule`.
    ///
    /// - Throws: `UnauthorizedException` when the rule does not exist.
    public func disableTopicRule(ruleName: String) async throws {
        try await setTopicRule(ruleName, disabled: true)
    }

    // MARK: Helpers

    static func ruleAccessDenied(_ name: String) -> RegistryError {
        RegistryError(code: .unauthorized, message: "Access to topic rule '\(name)' was denied")
    }

    private func setTopicRule(_ ruleName: String, disabled: Bool) async throws {
        try Validation.ruleName(ruleName)
        try await write { db, changes in
            guard let rule = try await fetchTopicRule(ruleName, db) else { throw Self.ruleAccessDenied(ruleName) }
            guard rule.ruleDisabled != disabled else { return }
            try await db.raw(
                """
                UPDATE topic_rules SET rule_disabled = \(bind: disabled ? 1 : 0), last_modified_date = \(bind: now())
                WHERE rule_name = \(bind: ruleName)
                """
            ).run()
            changes.record(.topicRuleChanged(ruleName: ruleName))
        }
    }

    func fetchTopicRule(_ name: String, _ db: any SQLDatabase) async throws -> TopicRule? {
        try await db.raw("SELECT * FROM topic_rules WHERE rule_name = \(bind: name)").first().map {
            try topicRule(from: $0)
        }
    }

    func topicRule(from row: any SQLRow) throws -> TopicRule {
        TopicRule(
            ruleName: try row.string("rule_name"), ruleArn: try row.string("rule_arn"), sql: try row.string("sql_text"),
            topicPattern: try row.string("topic_pattern"), description: try row.optionalString("description"),
            awsIotSqlVersion: try row.optionalString("aws_iot_sql_version"),
            ruleDisabled: try row.bool("rule_disabled"),
            createdAt: try row.date("created_at"), payload: try row.string("payload"))
    }
}
