import AWSWire

extension ServiceModel {
    /// The AWS error for a modelled error shape of this service, with the code and HTTP status
    /// botocore maps back to `client.exceptions.<shapeName>`.
    ///
    /// ```swift
    /// throw ServiceModel.iot.error("ResourceNotFoundException", "Thing thermo-1 cannot be found.")
    /// throw ServiceModel.sns.error("NotFoundException", "Topic does not exist")   // code NotFound, 404
    /// ```
    ///
    /// - Parameters:
    ///   - shapeName: The error shape, as botocore names it.
    ///   - message: The message.
    ///   - fields: Extra members of the error (`resourceId`, `resourceArn`).
    public func error(_ shapeName: String, _ message: String, fields: [String: String] = [:]) -> AWSError {
        guard let shape = shapes[shapeName], let info = shape.error else {
            preconditionFailure("\(name): \(shapeName) is not a modelled error shape")
        }
        let code = wireProtocol == .query ? (info.code ?? shapeName) : shapeName
        return AWSError(code: code, message: message, httpStatus: info.status, fields: fields)
    }

    /// The error a request failing the model's constraints gets: `InvalidRequestException` for
    /// iot and iot-data (modelled there), `InvalidParameter` for sns, `ValidationError` for iam.
    func validationError(_ message: String) -> AWSError {
        switch name {
        case "iot", "iot-data": AWSError(code: "InvalidRequestException", message: message, httpStatus: 400)
        case "sns": AWSError(code: "InvalidParameter", message: message, httpStatus: 400)
        default: AWSError(code: "ValidationError", message: message, httpStatus: 400)
        }
    }

    /// The error a request body that cannot be read gets.
    func serializationError(_ message: String) -> AWSError {
        switch wireProtocol {
        case .restJSON: AWSError(code: "SerializationException", message: message, httpStatus: 400)
        case .query: AWSError(code: "MalformedQueryString", message: message, httpStatus: 400)
        }
    }

    /// The error an unexpected failure gets.
    func internalError() -> AWSError {
        switch name {
        case "iot", "iot-data":
            AWSError(code: "InternalFailureException", message: "An internal error occurred.", httpStatus: 500)
        case "sns": AWSError(code: "InternalError", message: "An internal error occurred.", httpStatus: 500)
        default: AWSError(code: "ServiceFailure", message: "An internal error occurred.", httpStatus: 500)
        }
    }

    /// The XML namespace for query errors (and an empty one for rest-json).
    var errorNamespace: String {
        xmlNamespace ?? AWSError.QueryNamespace.sns
    }
}
