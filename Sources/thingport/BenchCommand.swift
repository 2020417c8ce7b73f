import ArgumentParser

/// `thingport bench`: the MQTT load generator used by `benchmarks/`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Generate MQTT load against a broker and report throughput and latency."
    )

    func run() async throws {
        throw ValidationError("not built yet")
    }
}
