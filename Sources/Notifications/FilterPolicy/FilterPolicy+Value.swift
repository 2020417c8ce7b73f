extension FilterPolicy {
    /// One value a message offers to a policy: an attribute value, an element of a
    /// `String.Array` attribute, or a leaf of the JSON body.
    enum Value: Sendable, Hashable {
        case string(String)
        case number(Number)
        case bool(Bool)
        case null
    }
}
