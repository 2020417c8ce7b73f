import PolicyEngine

/// Region and account used throughout the tests.
let testScope = IoTResourceScope(region: "us-east-1", account: "123456789012")

/// `arn:aws:iot:us-east-1:123456789012:<suffix>`
func iotARN(_ suffix: String) -> String {
    "arn:aws:iot:us-east-1:123456789012:\(suffix)"
}

/// Parses an identity (IoT) policy, failing the test on error.
func identityPolicy(_ json: String) throws -> PolicyDocument {
    try PolicyDocument(json: json, kind: .identity)
}

/// A version 2012-10-17 policy with one Allow statement for `iot:Publish` on `*` and the
/// given condition block; evaluates whether a publish is allowed under `context`.
func conditionAllows(_ conditionBlock: String, _ context: PolicyContext) throws -> Bool {
    let document = try identityPolicy(
        """
        {"Version": "2012-10-17",
         "Statement": {"Effect": "Allow", "Action": "iot:Publish", "Resource": "*",
                       "Condition": \(conditionBlock)}}
        """
    )
    let outcome = PolicyEvaluator.evaluate(
        action: "iot:Publish",
        resource: iotARN("topic/t"),
        context: context,
        document: document
    )
    return outcome == .allowed
}
