import ArgumentParser

/// `thingport`: the server, the load generator and the device tools in one command.
@main
struct ThingportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thingport",
        abstract: "A self-hosted IoT platform that speaks the AWS IoT Core wire protocols.",
        subcommands: [ServeCommand.self, BenchCommand.self]
    )
}
