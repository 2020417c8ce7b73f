import JSON

extension FilterPolicy {
    /// A message as filter policies see it: the values under each key. Build it once per
    /// message and test it against every subscription's policy.
    public struct Input: Sendable {
        /// One value under a key, with the array elements it sits in.
        struct Leaf: Sendable {
            var value: Value
            /// For each array on the way to the value: which array, and which element.
            var positions: [ArrayPosition]
        }

        struct ArrayPosition: Sendable, Hashable {
            var array: Int
            var index: Int
        }

        /// The values by key; nested body keys are joined with `.`. A key with no values
        /// (an empty array, an object, a `Binary` attribute) is absent.
        private(set) var leaves: [String: [Leaf]] = [:]
        /// Whether the message could be read (a body that is not a JSON object cannot).
        private(set) var isReadable = true
        private var arrayCount = 0

        /// The message attributes of a message, for a ``Scope/messageAttributes`` policy.
        /// Each element of a `String.Array` attribute is a value of its own; `Binary`
        /// attributes are left out.
        public init(attributes: [String: MessageAttribute]) {
            for (name, attribute) in attributes {
                let base = attribute.dataType.prefix { $0 != "." }
                guard let text = attribute.stringValue else { continue }
                if attribute.dataType == "String.Array" {
                    // An element that is itself an array or object is not compared.
                    guard case .array(let elements)? = try? JSONValue.parse(text) else { continue }
                    let array = nextArray()
                    for (index, element) in elements.enumerated() {
                        guard let value = Self.scalar(element) else { continue }
                        add(value, at: name, positions: [ArrayPosition(array: array, index: index)])
                    }
                } else if base == "String" {
                    add(.string(text), at: name, positions: [])
                } else if base == "Number" {
                    add(.number(Number(text: text)), at: name, positions: [])
                }
            }
        }

        /// A message body, for a ``Scope/messageBody`` policy. A body that is not a JSON
        /// object matches only the empty policy.
        public init(body: String) {
            self.init(body: (try? JSONValue.parse(body)) ?? .null)
        }

        /// A parsed message body, for a ``Scope/messageBody`` policy.
        public init(body: JSONValue) {
            guard case .object = body else {
                isReadable = false
                return
            }
            flatten(body, path: "", positions: [])
        }

        private mutating func flatten(_ value: JSONValue, path: String, positions: [ArrayPosition]) {
            switch value {
            case .object(let members):
                for member in members {
                    flatten(
                        member.value, path: path.isEmpty ? member.key : path + "." + member.key, positions: positions)
                }
            case .array(let elements):
                let array = nextArray()
                for (index, element) in elements.enumerated() {
                    flatten(element, path: path, positions: positions + [ArrayPosition(array: array, index: index)])
                }
            default:
                add(Self.scalar(value)!, at: path, positions: positions)
            }
        }

        private mutating func add(_ value: Value, at path: String, positions: [ArrayPosition]) {
            leaves[path, default: []].append(Leaf(value: value, positions: positions))
        }

        private mutating func nextArray() -> Int {
            arrayCount += 1
            return arrayCount
        }

        private static func scalar(_ value: JSONValue) -> Value? {
            switch value {
            case .string(let text): .string(text)
            case .number(let text): .number(Number(text: text))
            case .bool(let flag): .bool(flag)
            case .null: .null
            case .array, .object: nil
            }
        }
    }
}
