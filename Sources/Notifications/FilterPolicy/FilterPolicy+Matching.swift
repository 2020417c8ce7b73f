extension FilterPolicy.Input {
    /// Whether the message satisfies every field of one alternative of a policy.
    ///
    /// A field is satisfied by absence when the key has no values and one of its conditions
    /// is `exists: false`; otherwise by a value that meets one of its conditions. Values
    /// taken from objects inside the same array must come from the same element, so
    /// `{"a": {"x": [1], "y": [2]}}` does not match `{"a": [{"x": 1}, {"y": 2}]}`.
    func satisfies(_ fields: [FilterPolicy.Field]) -> Bool {
        guard !fields.isEmpty else { return true }
        guard isReadable else { return false }
        var candidateLists: [[Leaf]] = []
        for field in fields {
            let values = leaves[field.path] ?? []
            if values.isEmpty {
                guard field.conditions.contains(.exists(false)) else { return false }
                continue
            }
            let candidates = values.filter { leaf in field.conditions.contains { $0.matches(leaf.value) } }
            guard !candidates.isEmpty else { return false }
            candidateLists.append(candidates)
        }
        // Without arrays every choice is consistent.
        guard candidateLists.contains(where: { $0.contains { !$0.positions.isEmpty } }) else { return true }
        var chosen: [Leaf] = []
        return Self.choose(from: candidateLists[...], consistentWith: &chosen)
    }

    /// Whether one candidate of each list can be picked so that all picks agree on the
    /// elements of the arrays they share.
    private static func choose(from lists: ArraySlice<[Leaf]>, consistentWith chosen: inout [Leaf]) -> Bool {
        guard let list = lists.first else { return true }
        for candidate in list where chosen.allSatisfy({ agree($0, candidate) }) {
            chosen.append(candidate)
            if choose(from: lists.dropFirst(), consistentWith: &chosen) { return true }
            chosen.removeLast()
        }
        return false
    }

    private static func agree(_ first: Leaf, _ second: Leaf) -> Bool {
        for position in first.positions {
            for other in second.positions where other.array == position.array && other.index != position.index {
                return false
            }
        }
        return true
    }
}
