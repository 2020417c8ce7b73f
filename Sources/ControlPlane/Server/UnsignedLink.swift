import AWSWire
import Foundation
import Hummingbird

/// What an unsigned link does: takes the bound, validated input of its operation, returns the
/// output members (or throws an ``AWSError``).
public typealias UnsignedLinkHandler = @Sendable (OperationInput) async throws -> OperationOutput

/// Query-protocol operations that AWS also accepts as a plain, unsigned `GET` of a link it
/// sent: SNS's `SubscribeURL` (`?Action=ConfirmSubscription&TopicArn=…&Token=…`) and
/// `UnsubscribeURL` (`?Action=Unsubscribe&SubscriptionArn=…`). The token or the
/// subscription ARN in the link is the credential; the answer is the operation's XML, as AWS
/// answers those links.
struct UnsignedLinks: Sendable {
    private var links: [String: (service: ServiceModel, handler: UnsignedLinkHandler)] = [:]

    mutating func register(_ service: ServiceModel, _ operation: String, _ handler: @escaping UnsignedLinkHandler) {
        precondition(service.wireProtocol == .query, "unsigned links are query-protocol GETs")
        precondition(service.operations[operation] != nil, "\(operation) is not an operation of \(service.name)")
        links[operation] = (service, handler)
    }

    /// The response to `request` when it is the unsigned `GET` of a registered link; nil
    /// otherwise (signed requests, other actions, other methods go the signed way).
    func response(to request: Request) async -> Response? {
        guard request.method == .get, !links.isEmpty else { return nil }
        let received = APIRequest(request, body: [])
        guard received.headers.firstValue(named: "authorization") == nil,
            !received.queryItems.contains(where: { $0.name == "X-Amz-Signature" })
        else { return nil }
        let parameters = QueryProtocolRequest.parameters(of: received)
        guard let action = parameters["Action"], let link = links[action],
            let operation = link.service.operations[action]
        else { return nil }
        let model = link.service
        let requestId = UUID().uuidString.lowercased()
        do {
            let input = try QueryRequestBinder(model: model).bind(parameters, operation: operation)
            if let inputName = operation.input,
                let message = ShapeValidator.validate(input.members, shape: model.shape(inputName), model: model)
            {
                throw model.validationError(message)
            }
            let output = try await link.handler(input)
            let serializer = QueryXMLSerializer(model: model)
            return Response(serializer.response(output, operation: operation, requestId: requestId))
        } catch let error as any AWSErrorConvertible {
            return Response(
                error.awsError.response(for: .query, xmlNamespace: model.errorNamespace, requestId: requestId))
        } catch {
            let internalError = model.internalError()
            return Response(
                internalError.response(for: .query, xmlNamespace: model.errorNamespace, requestId: requestId))
        }
    }
}
