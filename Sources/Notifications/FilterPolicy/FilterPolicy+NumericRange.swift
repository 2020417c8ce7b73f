extension FilterPolicy {
    /// The values a `numeric` condition accepts, as bounds on ``Number`` keys.
    struct NumericRange: Sendable, Hashable {
        struct Bound: Sendable, Hashable {
            var key: Int64
            var isInclusive: Bool
        }

        var lower: Bound?
        var upper: Bound?

        func contains(_ key: Int64) -> Bool {
            if let lower, lower.isInclusive ? key < lower.key : key <= lower.key { return false }
            if let upper, upper.isInclusive ? key > upper.key : key >= upper.key { return false }
            return true
        }
    }
}
