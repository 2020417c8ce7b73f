import AWSWire
import Hummingbird
import Logging

/// What an operation does: takes the bound, validated input and the authenticated context,
/// returns the output members (or throws an ``AWSError``, rendered in the service's protocol).
public typealias OperationHandler =
    @Sendable (OperationInput, AuthenticatedRequestContext) async throws -> OperationOutput

/// Thingport's AWS-compatible HTTP API: one responder for every service (iot and iot-data in
/// rest-json, sns and iam in query/XML), SigV4 on every request, request binding and
/// validation driven by botocore's models, errors in AWS's shapes.
///
/// ```swift
/// var api = ControlPlane(configuration: .init(secretAccessKey: keys.secret(for:)), logger: logger)
/// api.register(.iot, "DescribeThing") { input, context in try await registry.describeThing(input) }
/// let app = Application(router: api, configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
/// ```
///
/// `DescribeEndpoint` answers ``Configuration/publicHost`` unless a handler is registered
/// for it.
public struct ControlPlane: Sendable, HTTPResponderBuilder {
    /// The configuration.
    public var configuration: Configuration
    /// The services served, each selected by the signing name of the credential scope.
    public let services: [ServiceModel]
    private var handlers: [String: [String: OperationHandler]] = [:]
    private var unsignedLinks = UnsignedLinks()
    private let logger: Logger

    /// Creates the API with no operation handlers (but the built-in `DescribeEndpoint`).
    ///
    /// - Parameters:
    ///   - configuration: Credentials, limits and the unsigned routes' settings.
    ///   - services: The service models to serve (all four by default).
    ///   - logger: The logger for API events.
    public init(configuration: Configuration, services: [ServiceModel] = ServiceModel.all, logger: Logger) {
        self.configuration = configuration
        self.services = services
        self.logger = logger
    }

    /// Plugs in the handler of one operation.
    ///
    /// - Parameters:
    ///   - service: The service model (`.iot`, `.iotData`, `.sns`, `.iam`).
    ///   - operation: The operation name as botocore's model spells it (`DescribeThing`); it must
    ///     be one of the model's operations.
    ///   - handler: What the operation does.
    public mutating func register(
        _ service: ServiceModel, _ operation: String, _ handler: @escaping OperationHandler
    ) {
        precondition(
            service.operations[operation] != nil,
            "\(operation) is not an operation of the \(service.name) model (see scripts/gen-aws-models.py)")
        handlers[service.name, default: [:]][operation] = handler
    }

    /// Lets `operation` of a query-protocol `service` also be called by an unsigned `GET` with
    /// its parameters in the query string, as AWS accepts for the links it sends (SNS's
    /// `SubscribeURL` and `UnsubscribeURL`). The handler decides what the link's parameters
    /// must prove (a confirmation token, the subscription ARN).
    public mutating func registerUnsignedLink(
        _ service: ServiceModel, _ operation: String, _ handler: @escaping UnsignedLinkHandler
    ) {
        unsignedLinks.register(service, operation, handler)
    }

    /// Whether `operation` of `service` has a handler.
    public func isRegistered(_ service: ServiceModel, _ operation: String) -> Bool {
        effectiveHandlers[service.name]?[operation] != nil
    }

    /// The registered handlers plus the built-in ones not overridden.
    private var effectiveHandlers: [String: [String: OperationHandler]] {
        var all = handlers
        if services.contains(where: { $0.name == ServiceModel.iot.name }),
            all[ServiceModel.iot.name]?["DescribeEndpoint"] == nil
        {
            all[ServiceModel.iot.name, default: [:]]["DescribeEndpoint"] =
                DescribeEndpoint(host: configuration.publicHost).handle
        }
        return all
    }

    /// The operations of the served models that have no handler yet, as `service:Operation`.
    public var unregisteredOperations: [String] {
        let registered = effectiveHandlers
        return services.flatMap { service in
            service.operationNames.filter { registered[service.name]?[$0] == nil }.map { "\(service.name):\($0)" }
        }
    }

    /// Builds the responder serving the unsigned routes and every signed AWS request.
    public func buildResponder() -> ControlPlaneResponder {
        ControlPlaneResponder(
            configuration: configuration,
            unsignedLinks: unsignedLinks,
            middleware: SigV4Middleware(
                services: services, configuration: configuration, logger: logger),
            dispatcher: OperationDispatcher(handlers: effectiveHandlers, logger: logger))
    }
}
