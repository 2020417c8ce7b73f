import AWSWire
import Notifications

/// Publishing: `Publish`, `PublishBatch`.
extension SNSHandlers {
    var publishingOperations: [Operation] {
        [("Publish", publish), ("PublishBatch", publishBatch)]
    }

    func publish(_ input: SNSInput) async throws -> OperationOutput {
        let messageId = try await notifications.publish(
            NotificationService.PublishRequest(
                topicArn: input.string("TopicArn"), targetArn: input.string("TargetArn"),
                phoneNumber: input.string("PhoneNumber"), message: try input.required("Message"),
                subject: input.string("Subject"), messageStructure: input.string("MessageStructure"),
                messageAttributes: input.messageAttributes,
                messageDeduplicationId: input.string("MessageDeduplicationId"),
                messageGroupId: input.string("MessageGroupId")))
        return ["MessageId": .string(messageId)]
    }

    func publishBatch(_ input: SNSInput) async throws -> OperationOutput {
        let entries = (input.input["PublishBatchRequestEntries"]?.listValue ?? []).map { entry in
            NotificationService.BatchEntry(
                id: entry["Id"]?.stringValue ?? "", message: entry["Message"]?.stringValue ?? "",
                subject: entry["Subject"]?.stringValue, messageStructure: entry["MessageStructure"]?.stringValue,
                messageAttributes: SNSInput.messageAttributes(entry["MessageAttributes"]),
                messageDeduplicationId: entry["MessageDeduplicationId"]?.stringValue,
                messageGroupId: entry["MessageGroupId"]?.stringValue)
        }
        let result = try await notifications.publishBatch(topicArn: try input.required("TopicArn"), entries: entries)
        return [
            "Successful": .list(result.successful.map { ["Id": .string($0.id), "MessageId": .string($0.messageId)] }),
            "Failed": .list(
                result.failed.map {
                    [
                        "Id": .string($0.id), "Code": .string($0.code), "Message": .string($0.message),
                        "SenderFault": .boolean($0.senderFault),
                    ]
                }),
        ]
    }
}
