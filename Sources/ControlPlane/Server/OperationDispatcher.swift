import AWSWire
import Logging

/// Finds the operation an authenticated request calls, binds and validates its input, calls
/// the handler and serializes the output, all driven by the service's model. Every failure
/// becomes an AWS error in the service's protocol.
struct OperationDispatcher: Sendable {
    let handlers: [String: [String: OperationHandler]]
    let logger: Logger

    func respond(context: AuthenticatedRequestContext) async -> AWSResponse {
        let model = context.service
        var logger = context.logger
        logger[metadataKey: "aws.service"] = .string(model.name)
        logger[metadataKey: "request.id"] = .string(context.requestId)
        do {
            let (operation, input) =
                switch model.wireProtocol {
                case .restJSON: try restJSONInput(context.request, model: model)
                case .query: try queryInput(context.request, model: model)
                }
            logger[metadataKey: "aws.operation"] = .string(operation.name)
            if let inputName = operation.input,
                let message = ShapeValidator.validate(input.members, shape: model.shape(inputName), model: model)
            {
                throw model.validationError(message)
            }
            guard let handler = handlers[model.name]?[operation.name] else {
                throw AWSError(
                    code: "NotImplementedException",
                    message: "Thingport does not implement \(operation.name) yet.", httpStatus: 501)
            }
            logger.debug("AWS request")
            let output = try await handler(input, context)
            switch model.wireProtocol {
            case .restJSON:
                return RestJSONResponseSerializer(model: model).response(
                    output, operation: operation, requestId: context.requestId)
            case .query:
                return QueryXMLSerializer(model: model).response(
                    output, operation: operation, requestId: context.requestId)
            }
        } catch let thrown as any AWSErrorConvertible {
            let error = thrown.awsError
            logger.debug("AWS error", metadata: ["aws.error": .string(error.code)])
            return error.response(
                for: model.wireProtocol, xmlNamespace: model.errorNamespace, requestId: context.requestId)
        } catch {
            logger.error("Operation failed", metadata: ["error": .string(String(describing: error))])
            return model.internalError().response(
                for: model.wireProtocol, xmlNamespace: model.errorNamespace, requestId: context.requestId)
        }
    }

    private func restJSONInput(_ request: APIRequest, model: ServiceModel) throws(AWSError)
        -> (OperationModel, OperationInput)
    {
        let path = request.path.isEmpty ? "/" : request.path
        guard let (operation, labels) = model.route(method: request.method, rawPath: path[...]) else {
            throw AWSError(code: "UnknownOperationException", message: "Unknown operation", httpStatus: 404)
        }
        let input = try RestJSONRequestBinder(model: model).bind(request, operation: operation, labels: labels)
        return (operation, input)
    }

    private func queryInput(_ request: APIRequest, model: ServiceModel) throws(AWSError)
        -> (OperationModel, OperationInput)
    {
        let parameters = QueryProtocolRequest.parameters(of: request)
        guard let action = parameters["Action"], !action.isEmpty else {
            throw AWSError(code: "MissingAction", message: "Missing Action", httpStatus: 400)
        }
        let version = parameters["Version"] ?? model.apiVersion
        guard let operation = model.operations[action], version == model.apiVersion else {
            throw AWSError(
                code: "InvalidAction", message: "Could not find operation \(action) for version \(version)",
                httpStatus: 400)
        }
        let input = try QueryRequestBinder(model: model).bind(parameters, operation: operation)
        return (operation, input)
    }
}
