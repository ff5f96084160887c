// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Dossier",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dossier", targets: ["dossier"]),
        .library(name: "DossierKit", targets: ["DossierKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // The only target that knows cmark-gfm's C API exists.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // The bottom of the pipeline: diagnostics and their codes, byte-level text scans and
        // escaping, the parallel map, hashing. Depends on nothing; every stage may use it.
        .target(name: "DossierCore"),
        .target(
            name: "DossierKit",
            dependencies: [
                "DossierCore",
                "CCmarkGFM",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The dev server: the only target that knows FlyingFox.
        .target(
            name: "DossierServer",
            dependencies: [
                "DossierKit",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        .executableTarget(
            name: "dossier",
            dependencies: [
                "DossierKit",
                "DossierServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: `swift run -c release dossier-benchmarks`. Not part of the test run.
        .executableTarget(
            name: "dossier-benchmarks",
            dependencies: ["DossierKit", "DossierServer"],
            path: "Benchmarks/DossierBenchmarks"
        ),
        // The libFuzzer driver: declared only for `make fuzz` (DOSSIER_FUZZ=1), which builds it with
        // --sanitize=fuzzer --sanitize=address into .build-fuzz; never part of a normal build.
    ] + (Context.environment["DOSSIER_FUZZ"] == nil ? [] : [
        .executableTarget(name: "dossier-fuzz", dependencies: ["DossierKit"], path: "Fuzzing/DossierFuzz"),
    ]) + [
        .testTarget(
            name: "DossierKitTests",
            dependencies: ["DossierKit", "DossierServer", "dossier"],
            exclude: ["Fixtures"]
        ),
    ]
)
