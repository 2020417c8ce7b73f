/// The hash functions of AWS IoT SQL (`md5`, `sha1`, `sha224`, `sha256`, `sha384`,
/// `sha512`), written out here so that the module needs no crypto library. They hash
/// message fields, not secrets: no constant-time care is taken.
enum Digest {
    /// The lowercase hex digest of `bytes` for one of the hash functions.
    static func hex(_ function: SQLFunction, of bytes: [UInt8]) -> String {
        let digest: [UInt8]
        switch function {
        case .md5: digest = md5(bytes)
        case .sha1: digest = sha1(bytes)
        case .sha224: digest = sha256(bytes, initial: sha224Initial, outputWords: 7)
        case .sha256: digest = sha256(bytes, initial: sha256Initial, outputWords: 8)
        case .sha384: digest = sha512(bytes, initial: sha384Initial, outputWords: 6)
        default: digest = sha512(bytes, initial: sha512Initial, outputWords: 8)
        }
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The message padded to whole blocks: `0x80`, zeros, then the bit length (big-endian
    /// for SHA, little-endian for MD5) in `lengthBytes` bytes.
    private static func pad(_ bytes: [UInt8], blockSize: Int, lengthBytes: Int, bigEndian: Bool) -> [UInt8] {
        var message = bytes
        message.append(0x80)
        while message.count % blockSize != blockSize - lengthBytes { message.append(0) }
        let bitLength = UInt64(bytes.count) &* 8
        var length = [UInt8](repeating: 0, count: lengthBytes)
        for index in 0..<8 {
            let byte = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(index)))
            if bigEndian { length[lengthBytes - 1 - index] = byte } else { length[index] = byte }
        }
        message.append(contentsOf: length)
        return message
    }

    // MARK: MD5 (RFC 1321)

    private static let md5Shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    private static let md5Constants: [UInt32] = [
        0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
        0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
        0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
        0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
        0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
        0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
        0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
        0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
    ]

    static func md5(_ bytes: [UInt8]) -> [UInt8] {
        let message = pad(bytes, blockSize: 64, lengthBytes: 8, bigEndian: false)
        var state: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476]
        var words = [UInt32](repeating: 0, count: 16)
        for block in stride(from: 0, to: message.count, by: 64) {
            for index in 0..<16 {
                let base = block + index * 4
                words[index] =
                    UInt32(message[base]) | UInt32(message[base + 1]) << 8 | UInt32(message[base + 2]) << 16
                    | UInt32(message[base + 3]) << 24
            }
            var a = state[0]
            var b = state[1]
            var c = state[2]
            var d = state[3]
            for round in 0..<64 {
                var f: UInt32
                let g: Int
                switch round {
                case 0..<16:
                    f = (b & c) | (~b & d)
                    g = round
                case 16..<32:
                    f = (d & b) | (~d & c)
                    g = (5 * round + 1) % 16
                case 32..<48:
                    f = b ^ c ^ d
                    g = (3 * round + 5) % 16
                default:
                    f = c ^ (b | ~d)
                    g = (7 * round) % 16
                }
                f = f &+ a &+ md5Constants[round] &+ words[g]
                a = d
                d = c
                c = b
                b = b &+ rotateLeft(f, md5Shifts[round])
            }
            state[0] = state[0] &+ a
            state[1] = state[1] &+ b
            state[2] = state[2] &+ c
            state[3] = state[3] &+ d
        }
        var digest: [UInt8] = []
        for word in state {
            for shift in stride(from: 0, to: 32, by: 8) {
                digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
            }
        }
        return digest
    }

    // MARK: SHA-1 (FIPS 180-4)

    static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        let message = pad(bytes, blockSize: 64, lengthBytes: 8, bigEndian: true)
        var state: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var words = [UInt32](repeating: 0, count: 80)
        for block in stride(from: 0, to: message.count, by: 64) {
            for index in 0..<16 { words[index] = readUInt32(message, block + index * 4) }
            for index in 16..<80 {
                words[index] = rotateLeft(
                    words[index - 3] ^ words[index - 8] ^ words[index - 14] ^ words[index - 16], 1)
            }
            var a = state[0]
            var b = state[1]
            var c = state[2]
            var d = state[3]
            var e = state[4]
            for round in 0..<80 {
                let f: UInt32
                let k: UInt32
                switch round {
                case 0..<20:
                    f = (b & c) | (~b & d)
                    k = 0x5A82_7999
                case 20..<40:
                    f = b ^ c ^ d
                    k = 0x6ED9_EBA1
                case 40..<60:
                    f = (b & c) | (b & d) | (c & d)
                    k = 0x8F1B_BCDC
                default:
                    f = b ^ c ^ d
                    k = 0xCA62_C1D6
                }
                let temp = rotateLeft(a, 5) &+ f &+ e &+ k &+ words[round]
                e = d
                d = c
                c = rotateLeft(b, 30)
                b = a
                a = temp
            }
            state[0] = state[0] &+ a
            state[1] = state[1] &+ b
            state[2] = state[2] &+ c
            state[3] = state[3] &+ d
            state[4] = state[4] &+ e
        }
        return state.flatMap(bigEndianBytes)
    }

    // MARK: SHA-224 and SHA-256 (FIPS 180-4)

    private static let sha256Initial: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    private static let sha224Initial: [UInt32] = [
        0xc105_9ed8, 0x367c_d507, 0x3070_dd17, 0xf70e_5939, 0xffc0_0b31, 0x6858_1511, 0x64f9_8fa7, 0xbefa_4fa4,
    ]
    /// SHA-256's constants are the first 32 bits of SHA-512's first 64.
    private static let sha256Constants: [UInt32] = sha512Constants.prefix(64).map { UInt32($0 >> 32) }

    static func sha256(_ bytes: [UInt8], initial: [UInt32], outputWords: Int) -> [UInt8] {
        let message = pad(bytes, blockSize: 64, lengthBytes: 8, bigEndian: true)
        var state = initial
        var words = [UInt32](repeating: 0, count: 64)
        for block in stride(from: 0, to: message.count, by: 64) {
            for index in 0..<16 { words[index] = readUInt32(message, block + index * 4) }
            for index in 16..<64 {
                let w15 = words[index - 15]
                let w2 = words[index - 2]
                let s0 = rotateRight(w15, 7) ^ rotateRight(w15, 18) ^ (w15 >> 3)
                let s1 = rotateRight(w2, 17) ^ rotateRight(w2, 19) ^ (w2 >> 10)
                words[index] = words[index - 16] &+ s0 &+ words[index - 7] &+ s1
            }
            var h = state
            for round in 0..<64 {
                let s1 = rotateRight(h[4], 6) ^ rotateRight(h[4], 11) ^ rotateRight(h[4], 25)
                let choice = (h[4] & h[5]) ^ (~h[4] & h[6])
                let temp1 = h[7] &+ s1 &+ choice &+ sha256Constants[round] &+ words[round]
                let s0 = rotateRight(h[0], 2) ^ rotateRight(h[0], 13) ^ rotateRight(h[0], 22)
                let majority = (h[0] & h[1]) ^ (h[0] & h[2]) ^ (h[1] & h[2])
                let temp2 = s0 &+ majority
                h[7] = h[6]
                h[6] = h[5]
                h[5] = h[4]
                h[4] = h[3] &+ temp1
                h[3] = h[2]
                h[2] = h[1]
                h[1] = h[0]
                h[0] = temp1 &+ temp2
            }
            for index in 0..<8 { state[index] = state[index] &+ h[index] }
        }
        return state.prefix(outputWords).flatMap(bigEndianBytes)
    }

    // MARK: SHA-384 and SHA-512 (FIPS 180-4)

    private static let sha512Initial: [UInt64] = [
        0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b, 0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1, 0x9b05_688c_2b3e_6c1f, 0x1f83_d9ab_fb41_bd6b, 0x5be0_cd19_137e_2179,
    ]
    private static let sha384Initial: [UInt64] = [
        0xcbbb_9d5d_c105_9ed8, 0x629a_292a_367c_d507, 0x9159_015a_3070_dd17, 0x152f_ecd8_f70e_5939,
        0x6733_2667_ffc0_0b31, 0x8eb4_4a87_6858_1511, 0xdb0c_2e0d_64f9_8fa7, 0x47b5_481d_befa_4fa4,
    ]
    private static let sha512Constants: [UInt64] = [
        0x428a_2f98_d728_ae22, 0x7137_4491_23ef_65cd, 0xb5c0_fbcf_ec4d_3b2f, 0xe9b5_dba5_8189_dbbc,
        0x3956_c25b_f348_b538, 0x59f1_11f1_b605_d019, 0x923f_82a4_af19_4f9b, 0xab1c_5ed5_da6d_8118,
        0xd807_aa98_a303_0242, 0x1283_5b01_4570_6fbe, 0x2431_85be_4ee4_b28c, 0x550c_7dc3_d5ff_b4e2,
        0x72be_5d74_f27b_896f, 0x80de_b1fe_3b16_96b1, 0x9bdc_06a7_25c7_1235, 0xc19b_f174_cf69_2694,
        0xe49b_69c1_9ef1_4ad2, 0xefbe_4786_384f_25e3, 0x0fc1_9dc6_8b8c_d5b5, 0x240c_a1cc_77ac_9c65,
        0x2de9_2c6f_592b_0275, 0x4a74_84aa_6ea6_e483, 0x5cb0_a9dc_bd41_fbd4, 0x76f9_88da_8311_53b5,
        0x983e_5152_ee66_dfab, 0xa831_c66d_2db4_3210, 0xb003_27c8_98fb_213f, 0xbf59_7fc7_beef_0ee4,
        0xc6e0_0bf3_3da8_8fc2, 0xd5a7_9147_930a_a725, 0x06ca_6351_e003_826f, 0x1429_2967_0a0e_6e70,
        0x27b7_0a85_46d2_2ffc, 0x2e1b_2138_5c26_c926, 0x4d2c_6dfc_5ac4_2aed, 0x5338_0d13_9d95_b3df,
        0x650a_7354_8baf_63de, 0x766a_0abb_3c77_b2a8, 0x81c2_c92e_47ed_aee6, 0x9272_2c85_1482_353b,
        0xa2bf_e8a1_4cf1_0364, 0xa81a_664b_bc42_3001, 0xc24b_8b70_d0f8_9791, 0xc76c_51a3_0654_be30,
        0xd192_e819_d6ef_5218, 0xd699_0624_5565_a910, 0xf40e_3585_5771_202a, 0x106a_a070_32bb_d1b8,
        0x19a4_c116_b8d2_d0c8, 0x1e37_6c08_5141_ab53, 0x2748_774c_df8e_eb99, 0x34b0_bcb5_e19b_48a8,
        0x391c_0cb3_c5c9_5a63, 0x4ed8_aa4a_e341_8acb, 0x5b9c_ca4f_7763_e373, 0x682e_6ff3_d6b2_b8a3,
        0x748f_82ee_5def_b2fc, 0x78a5_636f_4317_2f60, 0x84c8_7814_a1f0_ab72, 0x8cc7_0208_1a64_39ec,
        0x90be_fffa_2363_1e28, 0xa450_6ceb_de82_bde9, 0xbef9_a3f7_b2c6_7915, 0xc671_78f2_e372_532b,
        0xca27_3ece_ea26_619c, 0xd186_b8c7_21c0_c207, 0xeada_7dd6_cde0_eb1e, 0xf57d_4f7f_ee6e_d178,
        0x06f0_67aa_7217_6fba, 0x0a63_7dc5_a2c8_98a6, 0x113f_9804_bef9_0dae, 0x1b71_0b35_131c_471b,
        0x28db_77f5_2304_7d84, 0x32ca_ab7b_40c7_2493, 0x3c9e_be0a_15c9_bebc, 0x431d_67c4_9c10_0d4c,
        0x4cc5_d4be_cb3e_42b6, 0x597f_299c_fc65_7e2a, 0x5fcb_6fab_3ad6_faec, 0x6c44_198c_4a47_5817,
    ]

    static func sha512(_ bytes: [UInt8], initial: [UInt64], outputWords: Int) -> [UInt8] {
        let message = pad(bytes, blockSize: 128, lengthBytes: 16, bigEndian: true)
        var state = initial
        var words = [UInt64](repeating: 0, count: 80)
        for block in stride(from: 0, to: message.count, by: 128) {
            for index in 0..<16 {
                let base = block + index * 8
                words[index] = UInt64(readUInt32(message, base)) << 32 | UInt64(readUInt32(message, base + 4))
            }
            for index in 16..<80 {
                let w15 = words[index - 15]
                let w2 = words[index - 2]
                let s0 = rotateRight(w15, 1) ^ rotateRight(w15, 8) ^ (w15 >> 7)
                let s1 = rotateRight(w2, 19) ^ rotateRight(w2, 61) ^ (w2 >> 6)
                words[index] = words[index - 16] &+ s0 &+ words[index - 7] &+ s1
            }
            var h = state
            for round in 0..<80 {
                let s1 = rotateRight(h[4], 14) ^ rotateRight(h[4], 18) ^ rotateRight(h[4], 41)
                let choice = (h[4] & h[5]) ^ (~h[4] & h[6])
                let temp1 = h[7] &+ s1 &+ choice &+ sha512Constants[round] &+ words[round]
                let s0 = rotateRight(h[0], 28) ^ rotateRight(h[0], 34) ^ rotateRight(h[0], 39)
                let majority = (h[0] & h[1]) ^ (h[0] & h[2]) ^ (h[1] & h[2])
                let temp2 = s0 &+ majority
                h[7] = h[6]
                h[6] = h[5]
                h[5] = h[4]
                h[4] = h[3] &+ temp1
                h[3] = h[2]
                h[2] = h[1]
                h[1] = h[0]
                h[0] = temp1 &+ temp2
            }
            for index in 0..<8 { state[index] = state[index] &+ h[index] }
        }
        return state.prefix(outputWords).flatMap { word in
            bigEndianBytes(UInt32(truncatingIfNeeded: word >> 32)) + bigEndianBytes(UInt32(truncatingIfNeeded: word))
        }
    }

    // MARK: Bits

    @inline(__always)
    private static func rotateLeft(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value << count) | (value >> (32 - count))
    }

    @inline(__always)
    private static func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 - count))
    }

    @inline(__always)
    private static func rotateRight(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value >> count) | (value << (64 - count))
    }

    @inline(__always)
    private static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    private static func bigEndianBytes(_ word: UInt32) -> [UInt8] {
        [
            UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
            UInt8(truncatingIfNeeded: word),
        ]
    }
}
