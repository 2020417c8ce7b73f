#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide settings of the C allocator for a server that holds many idle connections.
enum AllocatorTuning {
    /// The smallest allocation given its own memory mapping.
    static let mappedAllocationThreshold: Int32 = 16 * 1024

    /// Gives every allocation of 16 KiB or more its own memory mapping (glibc).
    ///
    /// Each TLS connection holds a 32 KiB plaintext buffer and a 16 KiB record buffer
    /// (swift-nio-ssl allocates both when the connection opens), of which an idle connection
    /// touches one page each. Mapped separately, the untouched pages never become resident; in
    /// the shared heap, chunk headers and neighbouring allocations make more of them so (about
    /// 3 KiB per idle TLS connection, measured with `thingport bench --idle-connections`).
    /// glibc's own limit on mappings (`M_MMAP_MAX`, 65,536) still applies: past it, large
    /// allocations come from the heap as before.
    static func apply() {
        #if canImport(Glibc)
            // `mallopt` and `M_MMAP_THRESHOLD` (-3) are in <malloc.h>, which the Glibc module
            // does not export.
            typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
            let mmapThreshold: Int32 = -3
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            _ = unsafeBitCast(symbol, to: MallOpt.self)(mmapThreshold, mappedAllocationThreshold)
        #endif
    }
}
