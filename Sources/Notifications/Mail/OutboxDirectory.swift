import AWSWire
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A directory that takes the place of an SMTP server: each message becomes one `.eml` file.
///
/// The directory is created with mode 0700 when missing; files get mode 0600 (mail can hold secrets such
/// as confirmation links). Each file is written to a hidden temporary name, synced and renamed, so a reader
/// never sees a partial message. Names start with the UTC time of writing, so they sort oldest first.
/// The file holds the rendered message only; the envelope (sender, recipients) is not recorded.
public struct OutboxDirectory: MailTransport {
    /// A stored message.
    public struct Message: Sendable, Hashable {
        /// The file name, `<time>-<random>.eml`.
        public let name: String
        /// The file's content, the rendered message.
        public let bytes: [UInt8]
    }

    /// The directory's path.
    public let path: String
    private let threadPool: NIOThreadPool

    /// Creates an outbox; the directory is created on the first write.
    /// - Parameters:
    ///   - path: the directory.
    ///   - threadPool: where the blocking file I/O runs; by default NIO's shared pool.
    public init(path: String, threadPool: NIOThreadPool = .singleton) {
        self.path = path
        self.threadPool = threadPool
    }

    /// Writes the rendered message as a new `.eml` file.
    /// - Throws: `IOError` when the directory or file cannot be written.
    public func send(_ message: EmailMessage, envelopeSender: String, recipients: [String]) async throws {
        _ = try await self.store(message.rendered())
    }

    /// Writes a message's bytes as a new `.eml` file.
    /// - Returns: the file's name within the directory.
    /// - Throws: `IOError` when the directory or file cannot be written.
    @discardableResult
    public func store(_ bytes: [UInt8]) async throws -> String {
        let name = Self.makeName()
        let path = self.path
        try await self.threadPool.runIfActive {
            try Self.createDirectoryIfNeeded(path)
            try Self.writeAtomically(bytes, directory: path, name: name)
        }
        return name
    }

    /// The stored messages, oldest first. A missing directory holds none.
    /// - Throws: `IOError` or a Foundation error when the directory or a file cannot be read.
    public func messages() async throws -> [Message] {
        let path = self.path
        return try await self.threadPool.runIfActive {
            guard FileManager.default.fileExists(atPath: path) else { return [] }
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { $0.hasSuffix(".eml") && !$0.hasPrefix(".") }
                .sorted()
            return try names.map { name in
                guard let data = FileManager.default.contents(atPath: path + "/" + name) else {
                    throw IOError(errnoCode: errno, reason: "read \(name)")
                }
                return Message(name: name, bytes: Array(data))
            }
        }
    }

    // MARK: - Files

    private static func createDirectoryIfNeeded(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw IOError(errnoCode: ENOTDIR, reason: "outbox \(path)") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw IOError(errnoCode: errno, reason: "mkdir \(path)")
        }
    }

    private static func writeAtomically(_ bytes: [UInt8], directory: String, name: String) throws {
        let temporaryPath = directory + "/." + name + ".tmp"
        let finalPath = directory + "/" + name
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "open \(temporaryPath)") }
        var isWritten = false
        defer {
            if !isWritten {
                unlink(temporaryPath)
            }
        }
        do {
            defer { close(descriptor) }
            // The umask can only remove bits; set the mode explicitly anyway.
            guard fchmod(descriptor, 0o600) == 0 else { throw IOError(errnoCode: errno, reason: "fchmod") }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw IOError(errnoCode: errno, reason: "write \(temporaryPath)")
                }
                offset += written
            }
            guard fsync(descriptor) == 0 else { throw IOError(errnoCode: errno, reason: "fsync \(temporaryPath)") }
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            throw IOError(errnoCode: errno, reason: "rename \(temporaryPath)")
        }
        isWritten = true
    }

    // MARK: - Names

    /// The last timestamp handed out, so names written by this process sort in the order they were made.
    private static let lastNanoseconds = NIOLockedValueBox<Int64>(0)

    /// `20251127T024909.123456789Z-<16 hex digits>.eml`: UTC time, strictly increasing within the process,
    /// and a random part against collisions with other processes.
    static func makeName() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = self.lastNanoseconds.withLockedValue { last in
            last = max(last + 1, Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))
            return last
        }
        let seconds = nanoseconds / 1_000_000_000
        let fraction = String(nanoseconds % 1_000_000_000)
        // `20251127T024909`: ISO 8601 basic form (SigV4's without its `Z`, which follows the fraction).
        let date = String(AWSTimestamp.sigV4(Date(timeIntervalSince1970: TimeInterval(seconds))).dropLast())
        let random = String(UInt64.random(in: .min ... .max), radix: 16)
        return date + "." + String(repeating: "0", count: 9 - fraction.count) + fraction + "Z-"
            + String(repeating: "0", count: 16 - random.count) + random + ".eml"
    }
}
