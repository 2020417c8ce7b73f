/// Why a policy document was rejected. The control plane reports it as AWS IoT's
/// `MalformedPolicyException` or IAM's `MalformedPolicyDocument`, with ``message`` as the
/// error message.
public struct PolicyDocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidJSON, notAnObject, unknownElement, invalidType, invalidVersion
            case missingStatement, emptyStatement, missingEffect, invalidEffect
            case missingAction, missingResource, missingPrincipal
            case conflictingElements, prohibitedElement, invalidAction, invalidResource
            case invalidPrincipal, unknownConditionOperator, invalidCondition, duplicateSid
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The text is not well-formed JSON.
        public static let invalidJSON = Code(.invalidJSON)
        /// The document or a statement is not a JSON object.
        public static let notAnObject = Code(.notAnObject)
        /// An element name the grammar does not know.
        public static let unknownElement = Code(.unknownElement)
        /// An element has the wrong JSON type (a number where a string belongs…).
        public static let invalidType = Code(.invalidType)
        /// `Version` is not `2012-10-17` or `2008-10-17`.
        public static let invalidVersion = Code(.invalidVersion)
        /// The document has no `Statement`.
        public static let missingStatement = Code(.missingStatement)
        /// `Statement` is an empty array.
        public static let emptyStatement = Code(.emptyStatement)
        /// A statement has no `Effect`.
        public static let missingEffect = Code(.missingEffect)
        /// `Effect` is neither `Allow` nor `Deny`.
        public static let invalidEffect = Code(.invalidEffect)
        /// A statement has neither `Action` nor `NotAction`, or an empty list.
        public static let missingAction = Code(.missingAction)
        /// A statement needs `Resource` or `NotResource` and has neither, or an empty list.
        public static let missingResource = Code(.missingResource)
        /// A statement needs `Principal` or `NotPrincipal` and has neither.
        public static let missingPrincipal = Code(.missingPrincipal)
        /// Both elements of an exclusive pair (`Action`/`NotAction`…) are present.
        public static let conflictingElements = Code(.conflictingElements)
        /// An element this kind of document may not contain (`Principal` in an identity
        /// policy, `Resource` in a trust policy).
        public static let prohibitedElement = Code(.prohibitedElement)
        /// An action is not `*` or `vendor:name`.
        public static let invalidAction = Code(.invalidAction)
        /// A resource is not `*` or an ARN.
        public static let invalidResource = Code(.invalidResource)
        /// A principal element is malformed.
        public static let invalidPrincipal = Code(.invalidPrincipal)
        /// A condition operator the grammar does not know.
        public static let unknownConditionOperator = Code(.unknownConditionOperator)
        /// A condition block, key or value is malformed.
        public static let invalidCondition = Code(.invalidCondition)
        /// Two statements have the same `Sid`.
        public static let duplicateSid = Code(.duplicateSid)

        public var description: String { base.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// A message naming the problem, in AWS's words where AWS has them.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
