import PolicyEngine
import Testing

@Suite("Compiled statements shared between policy sets")
struct CompiledStatementPoolTests {
    /// Four statements: two without variables, one with `${iot:ClientId}`, one with a
    /// condition on a thing attribute variable.
    static let policy = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
          {"Effect": "Deny", "Action": "iot:Publish", "Resource": "\(iotARN("topic/admin/*"))"},
          {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
           "Resource": "\(iotARN("topic/devices/${iot:ClientId}/*"))"},
          {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "\(iotARN("topicfilter/fleet/*"))",
           "Condition": {"StringEquals": {"iot:Connection.Thing.ThingTypeName": "${iot:Connection.Thing.Attributes[fleet]}"}}}
        ]}
        """

    static func variables(client: String, fleet: String? = nil) -> PolicyContext {
        var context = PolicyContext()
        context["iot:ClientId"] = .single(client)
        if let fleet {
            context["iot:Connection.Thing.Attributes[fleet]"] = .single(fleet)
            context["iot:Connection.Thing.ThingTypeName"] = .single("lamp")
        }
        return context
    }

    @Test func statementsWithoutPerClientValuesAreCompiledOnce() throws {
        let document = try identityPolicy(Self.policy)
        var pool = CompiledStatementPool()
        _ = CompiledPolicySet(policies: [("p", document)], variables: Self.variables(client: "a"), pool: &pool)
        #expect(pool.count == 4)
        _ = CompiledPolicySet(policies: [("p", document)], variables: Self.variables(client: "b"), pool: &pool)
        #expect(pool.count == 5)  // only the ${iot:ClientId} statement again
        _ = CompiledPolicySet(policies: [("p", document)], variables: Self.variables(client: "a"), pool: &pool)
        #expect(pool.count == 5)
        _ = CompiledPolicySet(
            policies: [("p", document)], variables: Self.variables(client: "a", fleet: "lamp"), pool: &pool)
        #expect(pool.count == 6)  // the condition's variable has a value now
        // The same document at another position in the set is another statement (explanations
        // name the policy by position).
        let other = try identityPolicy(#"{"Statement": {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}}"#)
        _ = CompiledPolicySet(
            policies: [("q", other), ("p", document)], variables: Self.variables(client: "a"), pool: &pool)
        #expect(pool.count == 11)
    }

    @Test(arguments: ["a", "b", "c/d"])
    func pooledSetsDecideAsFreshlyCompiledOnes(client: String) throws {
        let document = try identityPolicy(Self.policy)
        var pool = CompiledStatementPool()
        _ = CompiledPolicySet(policies: [("p", document)], variables: Self.variables(client: "warm-up"), pool: &pool)
        for fleet in [nil, "lamp", "other"] {
            let variables = Self.variables(client: client, fleet: fleet)
            let fresh = CompiledPolicySet(policies: [("p", document)], variables: variables)
            let pooled = CompiledPolicySet(policies: [("p", document)], variables: variables, pool: &pool)
            let requests: [(IoTAction, String)] = [
                (.connect, client), (.publish, "devices/\(client)/x"), (.publish, "devices/other/x"),
                (.publish, "admin/x"), (.receive, "devices/\(client)/y"), (.subscribe, "fleet/1"),
                (.subscribe, "other/1"),
            ]
            for (action, name) in requests {
                let expected = fresh.outcome(action, resourceName: name, scope: testScope)
                #expect(
                    pooled.outcome(action, resourceName: name, scope: testScope) == expected,
                    "\(action) \(name) fleet \(fleet ?? "none")")
            }
        }
    }

    @Test func aStatementThatCanNeverApplyIsRememberedAsSuch() throws {
        // No value for the variable: the statement matches nothing and is left out.
        let resource = iotARN("client/${iot:Connection.Thing.ThingName}")
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17",
             "Statement": {"Effect": "Allow", "Action": "iot:Connect", "Resource": "\(resource)"}}
            """
        )
        var pool = CompiledStatementPool()
        for _ in 0..<2 {
            let set = CompiledPolicySet(
                policies: [("p", document)], variables: Self.variables(client: "a"), pool: &pool)
            #expect(!set.isAllowed(.connect, resourceName: "a", scope: testScope))
        }
        #expect(pool.count == 1)
        var thing = Self.variables(client: "a")
        thing["iot:Connection.Thing.ThingName"] = .single("a")
        let attached = CompiledPolicySet(policies: [("p", document)], variables: thing, pool: &pool)
        #expect(attached.isAllowed(.connect, resourceName: "a", scope: testScope))
    }

    @Test func startsOverPastItsCapacity() throws {
        let document = try identityPolicy(Self.policy)
        var pool = CompiledStatementPool(capacity: 6)
        for client in ["a", "b", "c"] {
            _ = CompiledPolicySet(policies: [("p", document)], variables: Self.variables(client: client), pool: &pool)
        }
        #expect(pool.count <= 6)
        let set = CompiledPolicySet(policies: [("p", document)], variables: Self.variables(client: "d"), pool: &pool)
        #expect(set.isAllowed(.publish, resourceName: "devices/d/1", scope: testScope))
        #expect(!set.isAllowed(.publish, resourceName: "admin/1", scope: testScope))
    }
}
