import AWSWire

/// RFC 2047 encoded-words (`=?UTF-8?B?…?=`) for non-ASCII text in unstructured headers and display names.
package enum EncodedWord {
    /// The most UTF-8 octets put into one word. 39 octets make 52 base64 characters, a 64-character word,
    /// so that `Subject: ` plus one word stays within the 76 characters RFC 2047 §2 allows on a line.
    package static let maximumOctetsPerWord = 39

    /// Encodes `text` as a sequence of encoded-words, to be separated by folding whitespace.
    ///
    /// A word never splits a character (RFC 2047 §5 requires whole characters per word); an extended
    /// grapheme cluster longer than one word is split between its Unicode scalars.
    package static func encode(_ text: String, maximumOctetsPerWord: Int = Self.maximumOctetsPerWord) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            if !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=")
                chunk.removeAll(keepingCapacity: true)
            }
        }
        for character in text {
            let octets = Array(character.utf8)
            if chunk.count + octets.count > maximumOctetsPerWord {
                flush()
            }
            if octets.count <= maximumOctetsPerWord {
                chunk.append(contentsOf: octets)
                continue
            }
            for scalar in character.unicodeScalars {
                let scalarOctets = Array(String(scalar).utf8)
                if chunk.count + scalarOctets.count > maximumOctetsPerWord {
                    flush()
                }
                chunk.append(contentsOf: scalarOctets)
            }
        }
        flush()
        return words
    }
}
