import Foundation
import Notifications
import Testing

@Suite("SNS service: delivery ids")
struct DeliveryIdGeneratorTests {
    @Test("ids are version 7 UUIDs that sort in the order they were made, within a millisecond too")
    func ordering() {
        let generator = DeliveryIdGenerator()
        var ids: [String] = []
        for now in [Int64(1_764_214_800_125), 1_764_214_800_125, 1_764_214_800_126, 1_764_214_800_100] {
            for _ in 0..<5000 { ids.append(generator.next(now: now)) }
        }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        let first = ids[0]
        #expect(UUID(uuidString: first) != nil && first == first.lowercased())
        #expect(Array(first)[14] == "7")
        #expect(["8", "9", "a", "b"].contains(Array(first)[19]))
        // The first 48 bits are the time.
        #expect(
            first.replacingOccurrences(of: "-", with: "").prefix(12)
                == String(1_764_214_800_125, radix: 16).leftPadded(to: 12))
    }
}

extension String {
    fileprivate func leftPadded(to count: Int) -> String {
        String(repeating: "0", count: max(0, count - self.count)) + self
    }
}
