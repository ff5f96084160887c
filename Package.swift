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
        // The pipeline, bottom to top. Each stage is a target and may use only the targets listed
        // as its dependencies (and what they use): an upward import does not compile. Names shared
        // across targets are `package`; what users of the library see is `public`.
        // CONTRIBUTING.md draws the graph.
        //
        // The bottom: diagnostics and their codes, values and dates, decimal text, byte-level text
        // scans and escaping, URLs, the parallel map, hashing, file stamps, output files.
        .target(name: "DossierCore"),
        // Number and date words and formats (en/ru/kk), value transforms.
        .target(name: "DossierFormat", dependencies: ["DossierCore"]),
        // The project's folders and files, `site.yml`, palettes, YAML with its limits.
        .target(
            name: "DossierProject",
            dependencies: ["DossierFormat", .product(name: "Yams", package: "Yams")]
        ),
        // Datasets: CSV/JSON/YAML readers, schemas, columns, the memory budget.
        .target(name: "DossierData", dependencies: ["DossierProject"]),
        // Articles: front matter, slugs, page paths, pages made from data (`_pages.yml`).
        .target(name: "DossierContent", dependencies: ["DossierData"]),
        // Markdown through cmark-gfm, raw-HTML checks.
        .target(name: "DossierMarkdown", dependencies: ["DossierContent", "CCmarkGFM"]),
        // Figures in prose and the charts (they share values and scales): one target, two folders.
        .target(name: "DossierFigures", dependencies: ["DossierMarkdown"]),
        // Templates and assets.
        .target(
            name: "DossierTemplates",
            dependencies: ["DossierFigures", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // The site: page contexts, rendering, links, feed, the one build path and its sinks.
        .target(name: "DossierSite", dependencies: ["DossierTemplates"]),
        // What the CLI, the server and the benchmarks import: every stage, re-exported.
        .target(name: "DossierKit", dependencies: ["DossierSite"]),
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
            dependencies: ["DossierKit", "DossierSite", "DossierServer", "dossier"],
            exclude: ["Fixtures"]
        ),
    ]
)
