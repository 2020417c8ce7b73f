// swift-tools-version:6.1
// A bare mutual-TLS server on SwiftNIO and swift-nio-ssl, for measuring what swift-nio-ssl
// itself holds per idle connection (see ../tls-floor.sh). Not part of Thingport's build.
import PackageDescription

let package = Package(
    name: "tls-floor",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .executableTarget(
            name: "TLSFloor",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
