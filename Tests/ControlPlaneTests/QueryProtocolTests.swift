import AWSWire
import ControlPlane
import Foundation
import Hummingbird
import Testing

@Suite("query protocol binding and XML")
struct QueryProtocolTests {
    private let api = TestAPI()

    @Test("CreateTopic reads maps and lists of structures and answers XML")
    func createTopic() async throws {
        try await api.run { client in
            let response = try await client.query(
                "sns",
                [
                    ("Action", "CreateTopic"), ("Version", "2010-03-31"), ("Name", "alarms"),
                    ("Attributes.entry.1.key", "DisplayName"), ("Attributes.entry.1.value", "Alarms"),
                    ("Tags.member.2.Key", "b"), ("Tags.member.2.Value", "2"),
                    ("Tags.member.1.Key", "a"), ("Tags.member.1.Value", "1"),
                ])
            #expect(response.status == 200)
            #expect(response.headers[.contentType] == "text/xml")
            #expect(
                response.body.hasPrefix(
                    #"<CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:000000000000:alarms-Alarms-a+b</TopicArn></CreateTopicResult><ResponseMetadata><RequestId>"#
                ))
            #expect(response.body.hasSuffix("</RequestId></ResponseMetadata></CreateTopicResponse>"))
        }
    }

    @Test("lists are <member> elements, escaped")
    func listTopics() async throws {
        try await api.run { client in
            let response = try await client.query("sns", [("Action", "ListTopics"), ("NextToken", "n1")])
            #expect(response.status == 200)
            #expect(
                response.body.contains(
                    "<ListTopicsResult><Topics><member><TopicArn>arn:aws:sns:us-east-1:000000000000:alpha</TopicArn></member>"
                        + "<member><TopicArn>arn:aws:sns:us-east-1:000000000000:b&amp;&lt;c&gt;</TopicArn></member></Topics>"
                        + "<NextToken>after-n1</NextToken></ListTopicsResult>"))
        }
    }

    @Test("maps are <entry><key/><value/></entry>")
    func maps() async throws {
        try await api.run { client in
            let response = try await client.query(
                "sns", [("Action", "GetTopicAttributes"), ("TopicArn", "arn:aws:sns:us-east-1:000000000000:alpha")])
            #expect(response.status == 200)
            #expect(
                response.body.contains(
                    "<Attributes><entry><key>DisplayName</key><value>Alpha</value></entry>"
                        + "<entry><key>Policy</key><value>{&quot;Version&quot;:&quot;2012-10-17&quot;}</value></entry></Attributes>"
                ))
        }
    }

    @Test("operations without output answer only ResponseMetadata")
    func noOutput() async throws {
        try await api.run { client in
            let response = try await client.query(
                "sns", [("Action", "DeleteTopic"), ("TopicArn", "arn:aws:sns:us-east-1:000000000000:alpha")])
            #expect(response.status == 200)
            #expect(
                response.body.hasPrefix(
                    #"<DeleteTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ResponseMetadata><RequestId>"#
                ))
        }
    }

    @Test("modelled errors are <ErrorResponse> with the model's code and status")
    func errors() async throws {
        try await api.run { client in
            let notFound = try await client.query(
                "sns", [("Action", "GetTopicAttributes"), ("TopicArn", "arn:aws:sns:us-east-1:000000000000:zeta")])
            #expect(notFound.status == 404)
            #expect(notFound.body.hasPrefix(#"<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">"#))
            #expect(notFound.xml("Code") == "NotFound")
            #expect(notFound.xml("Type") == "Sender")
            #expect(notFound.xml("Message") == "Topic does not exist")
            let forbidden = try await client.query("sns", [("Action", "CreateTopic"), ("Name", "forbidden")])
            #expect(forbidden.status == 403)
            #expect(forbidden.xml("Code") == "AuthorizationError")
            let noRole = try await client.query("iam", [("Action", "GetRole"), ("RoleName", "nobody")])
            #expect(noRole.status == 404)
            #expect(noRole.body.hasPrefix(#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">"#))
            #expect(noRole.xml("Code") == "NoSuchEntity")
        }
    }

    @Test("unknown, missing and wrong-version actions")
    func actions() async throws {
        try await api.run { client in
            let unknown = try await client.query("sns", [("Action", "LaunchRocket")])
            #expect(unknown.status == 400)
            #expect(unknown.xml("Code") == "InvalidAction")
            #expect(unknown.xml("Message") == "Could not find operation LaunchRocket for version 2010-03-31")
            let iamInSNS = try await client.query("sns", [("Action", "GetRole"), ("RoleName", "r")])
            #expect(iamInSNS.xml("Code") == "InvalidAction")
            let missing = try await client.query("sns", [("Name", "x")])
            #expect(missing.status == 400)
            #expect(missing.xml("Code") == "MissingAction")
            let version = try await client.query("sns", [("Action", "ListTopics"), ("Version", "2009-01-01")])
            #expect(version.xml("Code") == "InvalidAction")
            let unimplemented = try await client.query("sns", [("Action", "ListSubscriptions")])
            #expect(unimplemented.status == 501)
        }
    }

    @Test("iam structures, nested lists and ISO 8601 timestamps")
    func getRole() async throws {
        try await api.run { client in
            let response = try await client.query(
                "iam", [("Action", "GetRole"), ("Version", "2010-05-08"), ("RoleName", "rule-role")])
            #expect(response.status == 200)
            #expect(
                response.body.hasPrefix(
                    #"<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/</Path><RoleName>rule-role</RoleName>"#
                ))
            #expect(response.xml("CreateDate") == "2023-11-14T22:13:20.250Z")
            #expect(response.xml("MaxSessionDuration") == "3600")
            #expect(response.body.contains("<Tags><member><Key>team</Key><Value>ops</Value></member></Tags>"))
        }
    }

    @Test("validation failures: ValidationError for iam, InvalidParameter for sns")
    func validation() async throws {
        try await api.run { client in
            let iam = try await client.query("iam", [("Action", "GetRole"), ("RoleName", "bad/name")])
            #expect(iam.status == 400)
            #expect(iam.xml("Code") == "ValidationError")
            #expect(
                iam.xml("Message")?.hasPrefix("1 validation error detected: Value 'bad/name' at 'roleName'") == true)
            let sns = try await client.query("sns", [("Action", "CreateTopic")])
            #expect(sns.status == 400)
            #expect(sns.xml("Code") == "InvalidParameter")
            #expect(
                sns.xml("Message")
                    == "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
            )
        }
    }

    @Test("parameters may come in a GET query string")
    func getQuery() async throws {
        try await api.run { client in
            let response = try await client.send(.get, "/", query: "Action=ListTopics&NextToken=q", service: "sns")
            #expect(response.status == 200)
            #expect(response.xml("NextToken") == "after-q")
        }
    }
}
