import AWSWire
import Foundation

/// A service as botocore models it, trimmed to the operations Thingport serves: the wire
/// protocol, operations, shapes and errors. The generated files in `Generated/` define
/// ``iot``, ``iotData``, ``sns`` and ``iam``.
public struct ServiceModel: Sendable {
    /// The botocore service name (`iot`, `iot-data`, `sns`, `iam`).
    public let name: String
    /// The SigV4 signing name, as the credential scope names it (`iot`, `iotdata`, `sns`, `iam`).
    public let signingName: String
    /// The wire protocol.
    public let wireProtocol: AWSProtocol
    /// The API version (`2015-05-28`); query requests send it as `Version`.
    public let apiVersion: String
    /// The XML namespace of query-protocol responses.
    public let xmlNamespace: String?
    /// The operations, by name.
    public let operations: [String: OperationModel]
    /// The operation names in model order.
    public let operationNames: [String]
    /// The shapes, by name.
    public let shapes: [String: ShapeModel]
    /// Compiled patterns, by pattern text.
    let patterns: [String: ShapePattern]
    /// The rest-json routes, most specific first.
    let routes: [(method: String, template: RequestURITemplate, operation: String)]

    /// Creates a model; every shape an operation or member names must be among `shapes`.
    public init(
        name: String, signingName: String, wireProtocol: AWSProtocol, apiVersion: String,
        xmlNamespace: String? = nil, operations: [OperationModel], shapes: [ShapeModel]
    ) {
        self.name = name
        self.signingName = signingName
        self.wireProtocol = wireProtocol
        self.apiVersion = apiVersion
        self.xmlNamespace = xmlNamespace
        self.operations = Dictionary(operations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.operationNames = operations.map(\.name)
        let shapeTable = Dictionary(shapes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.shapes = shapeTable
        var patterns: [String: ShapePattern] = [:]
        for shape in shapes {
            if let pattern = shape.pattern, patterns[pattern] == nil {
                patterns[pattern] = ShapePattern(pattern)
            }
        }
        self.patterns = patterns
        let routes = operations.map {
            (method: $0.method, template: RequestURITemplate($0.requestURI), operation: $0.name)
        }
        self.routes = routes.sorted { lhs, rhs in
            let (l, r) = (lhs.template.specificity, rhs.template.specificity)
            if l.literals != r.literals { return l.literals > r.literals }
            if l.greedy != r.greedy { return l.greedy < r.greedy }
            return l.count > r.count
        }
        for shape in shapes {
            let references =
                shape.members.map(\.shape) + [shape.listMember, shape.mapKey, shape.mapValue].compactMap { $0 }
            for reference in references {
                precondition(shapeTable[reference] != nil, "\(name): shape \(shape.name) names unknown \(reference)")
            }
        }
        for operation in operations {
            for reference in [operation.input, operation.output].compactMap({ $0 }) + operation.errors {
                precondition(shapeTable[reference] != nil, "\(name): \(operation.name) names unknown \(reference)")
            }
        }
    }

    /// The shape called `name`; the model guarantees every referenced shape exists.
    public func shape(_ name: String) -> ShapeModel {
        guard let shape = shapes[name] else {
            preconditionFailure("\(self.name): no shape \(name)")
        }
        return shape
    }

    /// The rest-json operation for `method` and a raw path, with its decoded labels.
    ///
    /// - Returns: nil when no operation of this service matches.
    public func route(method: String, rawPath: Substring) -> (operation: OperationModel, labels: [String: String])? {
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: true)
        for route in routes where route.method == method {
            if let labels = route.template.match(segments), let operation = operations[route.operation] {
                return (operation, labels)
            }
        }
        return nil
    }

    /// Every service Thingport serves.
    public static let all: [ServiceModel] = [.iot, .iotData, .sns, .iam]
}

/// A compiled shape pattern, matched against the whole value as Java's `matches()` does.
struct ShapePattern: @unchecked Sendable {
    // NSRegularExpression is immutable once created and safe to use from many threads.
    let expression: NSRegularExpression?

    init(_ pattern: String) {
        expression = try? NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z", options: [])
    }

    /// Whether `value` matches entirely; a pattern that does not compile accepts everything.
    func matches(_ value: String) -> Bool {
        guard let expression else { return true }
        let range = NSRange(value.startIndex..<value.endIndex, in: value)
        return expression.firstMatch(in: value, options: [], range: range) != nil
    }
}
