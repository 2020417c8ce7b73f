import PolicyEngine
import Testing

@Suite("AWS IoT policies")
struct IoTPolicyTests {
    /// A least-privilege device policy in the style of AWS's examples: each device may use
    /// only its own client id and its own topics.
    static let devicePolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "Connect",
              "Effect": "Allow",
              "Action": "iot:Connect",
              "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}",
              "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}
            },
            {
              "Sid": "Publish",
              "Effect": "Allow",
              "Action": "iot:Publish",
              "Resource": [
                "arn:aws:iot:us-east-1:123456789012:topic/things/${iot:Connection.Thing.ThingName}/telemetry",
                "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"
              ]
            },
            {
              "Sid": "Subscribe",
              "Effect": "Allow",
              "Action": "iot:Subscribe",
              "Resource": [
                "arn:aws:iot:us-east-1:123456789012:topicfilter/things/${iot:Connection.Thing.ThingName}/commands/*",
                "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"
              ]
            },
            {
              "Sid": "Receive",
              "Effect": "Allow",
              "Action": "iot:Receive",
              "Resource": [
                "arn:aws:iot:us-east-1:123456789012:topic/things/${iot:Connection.Thing.ThingName}/commands/*",
                "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"
              ]
            },
            {
              "Sid": "NoFirmwareChannel",
              "Effect": "Deny",
              "Action": ["iot:Publish", "iot:Receive"],
              "Resource": "arn:aws:iot:us-east-1:123456789012:topic/things/*/commands/firmware"
            }
          ]
        }
        """

    static let sensorContext: PolicyContext = [
        IoTPolicyVariable.thingName: "sensor-1",
        IoTPolicyVariable.clientId: "sensor-1",
        IoTPolicyVariable.thingIsAttached: "true",
    ]

    @Test(
        "least-privilege device policy",
        arguments: [
            (IoTAction.connect, "sensor-1", PolicyOutcome.allowed),
            (.connect, "sensor-2", .implicitDeny),
            (.connect, "Sensor-1", .implicitDeny),
            (.publish, "things/sensor-1/telemetry", .allowed),
            (.publish, "things/sensor-2/telemetry", .implicitDeny),
            (.publish, "things/sensor-1/telemetry/extra", .implicitDeny),
            (.publish, "$aws/things/sensor-1/shadow/update", .allowed),
            (.publish, "$aws/things/sensor-2/shadow/update", .implicitDeny),
            (.publish, "things/sensor-1/commands/firmware", .explicitDeny),
            (.subscribe, "things/sensor-1/commands/#", .allowed),
            (.subscribe, "things/sensor-1/commands/+", .allowed),
            (.subscribe, "things/+/commands/#", .implicitDeny),
            (.subscribe, "things/sensor-1/telemetry", .implicitDeny),
            (.subscribe, "$aws/things/sensor-1/shadow/update/accepted", .allowed),
            (.receive, "things/sensor-1/commands/reboot", .allowed),
            (.receive, "things/sensor-1/commands/firmware", .explicitDeny),
            (.receive, "things/sensor-2/commands/reboot", .implicitDeny),
            (.receive, "$aws/things/sensor-1/shadow/update/accepted", .allowed),
            (.retainPublish, "things/sensor-1/telemetry", .implicitDeny),
        ] as [(IoTAction, String, PolicyOutcome)]
    )
    func devicePolicy(action: IoTAction, name: String, expected: PolicyOutcome) throws {
        let document = try identityPolicy(Self.devicePolicy)
        let set = CompiledPolicySet(policies: [(name: "device", document: document)], variables: Self.sensorContext)

        // Hot path (no ARN built) and general path agree.
        #expect(set.outcome(action, resourceName: name, scope: testScope) == expected)
        #expect(set.isAllowed(action, resourceName: name, scope: testScope) == (expected == .allowed))
        let arn = testScope.arn(for: action, resourceName: name)
        #expect(set.outcome(action: action.rawValue, resource: arn) == expected)
        #expect(set.evaluate(action, resourceName: name, scope: testScope).outcome == expected)

        // The one-shot API with the same context gives the same answer.
        let oneShot = PolicyEvaluator.evaluate(
            action: action.rawValue,
            resource: arn,
            context: Self.sensorContext,
            policies: [(name: "device", document: document)]
        )
        #expect(oneShot.outcome == expected)
    }

    @Test("a certificate attached to no thing may do nothing", arguments: IoTAction.allCases)
    func noThing(action: IoTAction) throws {
        let document = try identityPolicy(Self.devicePolicy)
        let set = CompiledPolicySet(
            policies: [(name: "device", document: document)],
            variables: [IoTPolicyVariable.clientId: "sensor-1"]
        )
        for name in ["sensor-1", "things/sensor-1/telemetry", "things/sensor-1/commands/#", "things//telemetry", ""] {
            #expect(set.outcome(action, resourceName: name, scope: testScope) == .implicitDeny)
        }
    }

    @Test("connect needs the certificate attached to the thing")
    func connectNeedsAttachment() throws {
        let document = try identityPolicy(Self.devicePolicy)
        var context = Self.sensorContext
        context[IoTPolicyVariable.thingIsAttached] = "false"
        let set = CompiledPolicySet(policies: [(name: "device", document: document)], variables: context)
        #expect(set.outcome(.connect, resourceName: "sensor-1", scope: testScope) == .implicitDeny)
        #expect(set.outcome(.publish, resourceName: "things/sensor-1/telemetry", scope: testScope) == .allowed)
    }

    @Test("explanations for TestAuthorization name the deciding policies")
    func explained() throws {
        let device = try identityPolicy(Self.devicePolicy)
        let broad = try identityPolicy(
            #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": "*"}}"#
        )
        let set = CompiledPolicySet(
            policies: [(name: "device", document: device), (name: "broad", document: broad)],
            variables: Self.sensorContext
        )
        #expect(
            set.evaluate(.publish, resourceName: "things/sensor-1/telemetry", scope: testScope)
                == PolicyDecision(outcome: .allowed, allowingPolicies: ["device", "broad"])
        )
        #expect(
            set.evaluate(.publish, resourceName: "things/sensor-1/commands/firmware", scope: testScope)
                == PolicyDecision(outcome: .explicitDeny, allowingPolicies: ["broad"], denyingPolicies: ["device"])
        )
        #expect(
            set.evaluate(.retainPublish, resourceName: "x", scope: testScope)
                == PolicyDecision(outcome: .allowed, allowingPolicies: ["broad"])
        )
    }

    @Test("the hot path honours NotAction and per-request conditions")
    func hotPathNegations() throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "NotAction": "iot:RetainPublish", "Resource": "*"},
              {"Effect": "Deny", "Action": "iot:*", "Resource": "*",
               "Condition": {"StringEquals": {"a:flag": "block"}}}
            ]}
            """
        )
        let set = CompiledPolicySet(policies: [(name: "p", document: document)])
        #expect(set.outcome(.publish, resourceName: "t", scope: testScope) == .allowed)
        #expect(set.outcome(.retainPublish, resourceName: "t", scope: testScope) == .implicitDeny)
        #expect(
            set.outcome(.subscribe, resourceName: "t", scope: testScope, context: ["a:flag": "block"]) == .explicitDeny)
    }

    @Test("the hot path uses the scope's region and account")
    func scopeMatters() throws {
        let document = try identityPolicy(
            #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:us-east-1:123456789012:topic/*"}}"#
        )
        let set = CompiledPolicySet(policies: [(name: "p", document: document)])
        #expect(set.isAllowed(.publish, resourceName: "a", scope: testScope))
        #expect(
            !set.isAllowed(
                .publish, resourceName: "a", scope: IoTResourceScope(region: "eu-west-1", account: "123456789012")))
        #expect(
            !set.isAllowed(
                .publish, resourceName: "a", scope: IoTResourceScope(region: "us-east-1", account: "000000000000")))
    }

    @Test(
        "classifying MQTT actions",
        arguments: [
            ("iot:Connect", IoTAction.connect),
            ("iot:publish", .publish),
            ("IOT:SUBSCRIBE", .subscribe),
            ("iot:Receive", .receive),
            ("iot:RetainPublish", .retainPublish),
        ] as [(String, IoTAction)]
    )
    func classify(name: String, action: IoTAction) {
        #expect(IoTAction(actionName: name) == action)
    }

    @Test(
        "other actions are not MQTT actions",
        arguments: ["iot:UpdateThingShadow", "iot:*", "sns:Publish", "Publish", "iot:Publishh", ""])
    func notMQTT(name: String) {
        #expect(IoTAction(actionName: name) == nil)
    }

    @Test("resource types and ARNs")
    func resourceARNs() {
        #expect(IoTAction.connect.resourceType == .client)
        #expect(IoTAction.publish.resourceType == .topic)
        #expect(IoTAction.receive.resourceType == .topic)
        #expect(IoTAction.retainPublish.resourceType == .topic)
        #expect(IoTAction.subscribe.resourceType == .topicFilter)
        #expect(
            IoTResource.client("dev-1", region: "us-east-1", account: "123456789012")
                == "arn:aws:iot:us-east-1:123456789012:client/dev-1")
        #expect(
            IoTResource.topic("a/b", region: "eu-west-1", account: "000000000000")
                == "arn:aws:iot:eu-west-1:000000000000:topic/a/b")
        #expect(
            IoTResource.topicFilter("a/#", region: "us-east-1", account: "1", partition: "aws-cn")
                == "arn:aws-cn:iot:us-east-1:1:topicfilter/a/#")
        #expect(testScope.prefix(for: .topic) == "arn:aws:iot:us-east-1:123456789012:topic/")
        #expect(testScope.arn(.client, "c") == "arn:aws:iot:us-east-1:123456789012:client/c")
        #expect(
            testScope.arn(for: .subscribe, resourceName: "a/+") == "arn:aws:iot:us-east-1:123456789012:topicfilter/a/+")
        #expect(IoTPolicyVariable.thingAttribute("color") == "iot:Connection.Thing.Attributes[color]")
    }
}
