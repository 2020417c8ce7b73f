/// One operation of a service model: its HTTP binding, input and output shapes and errors.
public struct OperationModel: Sendable {
    /// The operation name (`DescribeThing`, `CreateTopic`).
    public let name: String
    /// The HTTP method (`GET`, `POST`…).
    public let method: String
    /// The request URI template (`/things/{thingName}`, `/destinations/{arn+}`; `/` for query).
    public let requestURI: String
    /// The input shape name.
    public let input: String?
    /// The output shape name.
    public let output: String?
    /// The element wrapping the output in query-protocol XML (`CreateTopicResult`).
    public let resultWrapper: String?
    /// The HTTP status of a successful response.
    public let responseCode: Int
    /// The modelled error shape names.
    public let errors: [String]

    /// Creates an operation.
    public init(
        _ name: String, _ method: String, _ requestURI: String, input: String? = nil, output: String? = nil,
        resultWrapper: String? = nil, responseCode: Int = 200, errors: [String] = []
    ) {
        self.name = name
        self.method = method
        self.requestURI = requestURI
        self.input = input
        self.output = output
        self.resultWrapper = resultWrapper
        self.responseCode = responseCode
        self.errors = errors
    }
}
