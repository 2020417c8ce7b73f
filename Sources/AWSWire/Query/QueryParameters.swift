/// The parameters of an AWS query-protocol request (`Action=CreateTopic&Name=x&…`) as a
/// flat dictionary, with readers for the protocol's lists and maps.
///
/// Lists are flattened as `NAME.member.N` (N from 1), maps as `NAME.entry.N.key` /
/// `NAME.entry.N.value`, and structures as `NAME.Member`:
///
/// ```swift
/// let parameters = QueryParameters(formEncoded: body)
/// parameters.action                      // "CreateTopic"
/// parameters.map("Attributes")           // ["DisplayName": "Alarms"]
/// parameters.structures("Tags")          // [QueryParameters(["Key": "team", "Value": "ops"])]
/// ```
public struct QueryParameters: Sendable, Hashable {
    /// Every parameter, by its full dotted name.
    public private(set) var values: [String: String]

    /// Creates parameters from a dictionary.
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// Parses an `application/x-www-form-urlencoded` body (or a raw query string).
    ///
    /// `+` is a space, `%XY` escapes are decoded (a `%` without two hex digits stays), a
    /// name without `=` gets an empty value, and when a name repeats the first value wins.
    public init(formEncoded body: some Collection<UInt8>) {
        var values: [String: String] = [:]
        for part in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = part.firstIndex(of: UInt8(ascii: "="))
            let rawName = equals.map { part[part.startIndex..<$0] } ?? part[...]
            let rawValue = equals.map { part[part.index(after: $0)...] } ?? part[part.endIndex...]
            let name = String(decoding: AWSPercentEncoding.decode(bytes: rawName, plusAsSpace: true), as: UTF8.self)
            if values[name] == nil {
                values[name] = String(
                    decoding: AWSPercentEncoding.decode(bytes: rawValue, plusAsSpace: true), as: UTF8.self)
            }
        }
        self.values = values
    }

    /// Parses an `application/x-www-form-urlencoded` string.
    public init(formEncoded text: String) {
        self.init(formEncoded: Array(text.utf8))
    }

    /// The value of the parameter with this full name.
    public subscript(name: String) -> String? {
        values[name]
    }

    /// The `Action` parameter.
    public var action: String? { values["Action"] }

    /// Whether there are no parameters.
    public var isEmpty: Bool { values.isEmpty }

    /// The parameters under `prefix.`, with that prefix removed.
    public func nested(_ prefix: String) -> QueryParameters {
        let lead = prefix + "."
        var nested: [String: String] = [:]
        for (name, value) in values where name.hasPrefix(lead) {
            nested[String(name.dropFirst(lead.count))] = value
        }
        return QueryParameters(nested)
    }

    /// The members of `NAME.member.N` groups, keyed by N (N ≥ 1), with `NAME.member.N.` removed.
    private func indexed(_ name: String, _ member: String) -> [(index: Int, parameters: QueryParameters)] {
        var groups: [Int: [String: String]] = [:]
        for (key, value) in nested("\(name).\(member)").values {
            let head = key.prefix { $0 != "." }
            guard let index = Int(head), index >= 1, String(index) == head else { continue }
            let rest = key.dropFirst(head.count)
            groups[index, default: [:]][rest.isEmpty ? "" : String(rest.dropFirst())] = value
        }
        return groups.keys.sorted().map { ($0, QueryParameters(groups[$0]!)) }
    }

    /// A list of strings: `NAME.member.1`, `NAME.member.2`… in index order.
    ///
    /// - Parameters:
    ///   - name: The list's name (`AttributeNames`).
    ///   - member: The member name, `member` unless the model says otherwise.
    public func list(_ name: String, member: String = "member") -> [String] {
        indexed(name, member).compactMap { $0.parameters[""] }
    }

    /// A list of structures: `NAME.member.N.Field`… one ``QueryParameters`` per N, in index order.
    public func structures(_ name: String, member: String = "member") -> [QueryParameters] {
        indexed(name, member).map { group in
            var fields = group.parameters.values
            fields[""] = nil
            return QueryParameters(fields)
        }
    }

    /// A map of strings: `NAME.entry.N.key` → `NAME.entry.N.value`.
    ///
    /// - Parameters:
    ///   - name: The map's name (`Attributes`).
    ///   - entry: The entry name, `entry` unless the model says otherwise.
    ///   - key: The key member name (`key`; SNS message attributes use `Name`).
    ///   - value: The value member name (`value`; SNS message attributes use `Value`).
    public func map(_ name: String, entry: String = "entry", key: String = "key", value: String = "value")
        -> [String: String]
    {
        var result: [String: String] = [:]
        for group in indexed(name, entry) {
            guard let mapKey = group.parameters[key], result[mapKey] == nil else { continue }
            result[mapKey] = group.parameters[value] ?? ""
        }
        return result
    }

    /// A map whose values are structures: `NAME.entry.N.Name` → the parameters under
    /// `NAME.entry.N.Value.` (SNS `MessageAttributes`).
    public func mapOfStructures(
        _ name: String, entry: String = "entry", key: String = "Name", value: String = "Value"
    ) -> [String: QueryParameters] {
        var result: [String: QueryParameters] = [:]
        for group in indexed(name, entry) {
            guard let mapKey = group.parameters[key], result[mapKey] == nil else { continue }
            result[mapKey] = group.parameters.nested(value)
        }
        return result
    }
}
