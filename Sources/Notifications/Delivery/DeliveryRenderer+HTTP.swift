extension DeliveryRenderer {
    func renderHTTP(_ payload: DeliveryPayload, options: DeliveryOptions) throws -> HTTPDeliveryRequest {
        let type: SNSMessage.MessageType = payload.kind == .notification ? .notification : .subscriptionConfirmation
        var headers = [
            HTTPDeliveryRequest.Header("x-amz-sns-message-type", type.rawValue),
            HTTPDeliveryRequest.Header("x-amz-sns-message-id", payload.messageId),
            HTTPDeliveryRequest.Header("x-amz-sns-topic-arn", payload.topicArn),
        ]
        if type == .notification {
            headers.append(HTTPDeliveryRequest.Header("x-amz-sns-subscription-arn", payload.subscriptionArn))
        }
        let raw = payload.rawMessageDelivery && type == .notification
        if raw {
            headers.append(HTTPDeliveryRequest.Header("x-amz-sns-rawdelivery", "true"))
        }
        headers.append(HTTPDeliveryRequest.Header("Content-Type", options.httpContentType))
        headers.append(HTTPDeliveryRequest.Header("User-Agent", Self.userAgent))
        let body: [UInt8] =
            raw
            ? Array(payload.message.utf8)
            : Array(try self.message(for: payload, version: options.signatureVersion).jsonText().utf8)
        return HTTPDeliveryRequest(url: payload.endpoint, headers: headers, body: body)
    }
}
