import SwiftASN1
import X509

extension DistinguishedName {
    /// The values of the common name (CN) attributes, in order.
    var commonNames: [String] {
        self.flatMap { $0 }
            .filter { $0.type == .RDNAttributeType.commonName }
            .compactMap { String($0.value) }
    }
}
