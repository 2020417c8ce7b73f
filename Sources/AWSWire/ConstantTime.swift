/// Comparisons whose running time does not depend on where two values differ.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes.
    ///
    /// Every byte position up to the longer length is visited and the differences are
    /// accumulated with `|`, so the time taken depends only on the two lengths, never on
    /// the contents or on the position of the first difference.
    public static func isEqual<A: Collection<UInt8>, B: Collection<UInt8>>(_ lhs: A, _ rhs: B) -> Bool {
        let left = Array(lhs)
        let right = Array(rhs)
        let length = max(left.count, right.count)
        var difference = UInt(bitPattern: left.count ^ right.count)
        var index = 0
        while index < length {
            let l: UInt8 = index < left.count ? left[index] : 0
            let r: UInt8 = index < right.count ? right[index] : 0
            difference |= UInt(l ^ r)
            index += 1
        }
        return difference == 0
    }

    /// Whether two strings have the same UTF-8 bytes, compared in constant time.
    public static func isEqual(_ lhs: String, _ rhs: String) -> Bool {
        isEqual(lhs.utf8, rhs.utf8)
    }
}
