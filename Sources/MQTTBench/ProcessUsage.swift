#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// CPU time and memory of this process and, on Linux, of the broker under test.
struct ProcessUsage: Sendable {
    /// This process's user + system CPU time, in seconds.
    var generatorCPUSeconds: Double
    /// The broker's user + system CPU time, in seconds, if its process id was given and
    /// `/proc` could be read.
    var brokerCPUSeconds: Double?

    /// Samples the CPU time of this process and, if given, of `brokerPID`.
    static func sample(brokerPID: Int32?) -> ProcessUsage {
        ProcessUsage(
            generatorCPUSeconds: Self.ownCPUSeconds(),
            brokerCPUSeconds: brokerPID.flatMap(Self.cpuSeconds(ofProcess:))
        )
    }

    /// The CPU time between `start` and `self`.
    func since(_ start: ProcessUsage) -> ProcessUsage {
        var brokerSeconds: Double?
        if let end = self.brokerCPUSeconds, let begin = start.brokerCPUSeconds { brokerSeconds = end - begin }
        return ProcessUsage(
            generatorCPUSeconds: self.generatorCPUSeconds - start.generatorCPUSeconds,
            brokerCPUSeconds: brokerSeconds
        )
    }

    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
            let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
            let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// utime + stime of a process from `/proc/PID/stat` (fields 14 and 15).
    static func cpuSeconds(ofProcess pid: Int32) -> Double? {
        guard let stat = readSmallFile("/proc/\(pid)/stat"),
            let nameEnd = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name in parentheses come the fields from 3 (state) on.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ticks > 0 ? (user + system) / ticks : nil
    }

    /// The resident set size of a process in KiB, from `VmRSS` in `/proc/PID/status`.
    static func residentKiB(ofProcess pid: Int32) -> Int? {
        guard let status = readSmallFile("/proc/\(pid)/status") else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }

    /// Raises this process's open-files limit to its hard limit; returns the new limit.
    @discardableResult
    static func raiseOpenFilesLimit() -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(resource, &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// Reads a file of `/proc` (whose size `stat` does not tell) into a string.
    private static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
