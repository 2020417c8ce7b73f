import AWSWire
import Foundation
import Testing

@Suite("Query protocol parameters")
struct QueryParametersTests {
    @Test func decodesFormEncoding() {
        let parameters = QueryParameters(
            formEncoded:
                "Action=Publish&Message=a+b%2Bc%20d%26e%3Df&Subject=caf%C3%A9+%E2%98%83&Bad=%zz%4&Flag&Empty=&&"
                + "Name%2Ewith%2Edots=1&Action=Ignored")
        #expect(parameters.action == "Publish")
        #expect(parameters["Message"] == "a b+c d&e=f")
        #expect(parameters["Subject"] == "caf\u{E9} \u{2603}")
        #expect(parameters["Bad"] == "%zz%4")
        #expect(parameters["Flag"] == "")
        #expect(parameters["Empty"] == "")
        #expect(parameters["Name.with.dots"] == "1")
        #expect(parameters.values.count == 7)
        #expect(QueryParameters(formEncoded: "").isEmpty)
    }

    @Test func listsAreReadInNumericIndexOrder() {
        var form: [String] = [
            "AttributeNames.member.10=ten", "AttributeNames.member.2=two", "AttributeNames.member.1=one",
        ]
        form += ["AttributeNames.member.0=zero", "AttributeNames.member.01=padded", "AttributeNames.member.x=bad"]
        form += ["AttributeNames.memberX.3=other", "Other.member.1=o"]
        let parameters = QueryParameters(formEncoded: form.joined(separator: "&"))
        #expect(parameters.list("AttributeNames") == ["one", "two", "ten"])
        #expect(parameters.list("Missing").isEmpty)
        #expect(parameters.list("AttributeNames", member: "memberX") == ["other"])
    }

    @Test func structuresAndMaps() {
        let form: [String] = [
            "Action=CreateTopic", "Name=alarms",
            "Attributes.entry.1.key=DisplayName", "Attributes.entry.1.value=Alarms+%26+Alerts",
            "Attributes.entry.2.key=Policy", "Attributes.entry.2.value=%7B%7D",
            "Attributes.entry.3.key=DisplayName", "Attributes.entry.3.value=duplicate",
            "Attributes.entry.4.value=keyless",
            "Tags.member.2.Key=b", "Tags.member.2.Value=2", "Tags.member.1.Key=a", "Tags.member.1.Value=1",
        ]
        let parameters = QueryParameters(formEncoded: form.joined(separator: "&"))
        #expect(parameters.map("Attributes") == ["DisplayName": "Alarms & Alerts", "Policy": "{}"])
        #expect(
            parameters.structures("Tags") == [
                QueryParameters(["Key": "a", "Value": "1"]), QueryParameters(["Key": "b", "Value": "2"]),
            ])
        #expect(parameters.nested("Tags.member.2") == QueryParameters(["Key": "b", "Value": "2"]))
    }

    @Test func snsMessageAttributesFromABotocoreBody() throws {
        let vector = try #require(BotocoreVector.all.first { $0.name == "sns-publish" })
        let parameters = QueryParameters(formEncoded: vector.wire.bodyBytes)
        #expect(parameters.action == "Publish")
        #expect(parameters["Version"] == "2010-03-31")
        #expect(parameters["TopicArn"] == "arn:aws:sns:us-east-1:000000000000:alarms")
        #expect(parameters["Subject"] == "Temp > 30")
        #expect(parameters["Message"] == "sensor-42 reads 31.5\u{B0}C; a+b=c & d~e / caf\u{E9} \u{2603}")
        let attributes = parameters.mapOfStructures("MessageAttributes")
        #expect(
            attributes == [
                "severity": QueryParameters(["DataType": "String", "StringValue": "high"]),
                "count": QueryParameters(["DataType": "Number", "StringValue": "3"]),
            ])
    }

    @Test func snsCreateTopicFromABotocoreBody() throws {
        let vector = try #require(BotocoreVector.all.first { $0.name == "sns-create-topic" })
        let parameters = QueryParameters(formEncoded: vector.wire.bodyBytes)
        #expect(parameters.action == "CreateTopic")
        #expect(parameters["Name"] == "alarms")
        #expect(
            parameters.map("Attributes") == ["DisplayName": "Alarms & Alerts", "Policy": #"{"Version":"2012-10-17"}"#])
        #expect(parameters.structures("Tags") == [QueryParameters(["Key": "team", "Value": "iot ops"])])
    }
}
