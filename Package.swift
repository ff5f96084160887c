// swift-tools-version:6.0
import PackageDescription

// The pipeline's stages, bottom to top, with what each alone may use from outside.
let stages: [(name: String, external: [Target.Dependency])] = [
    // Diagnostics and their codes, values and dates, decimal text, byte-level text scans and
    // escaping, URLs, the parallel map, hashing, file stamps, output files.
    ("DossierCore", ["CSHA256"]),
    // Number and date words and formats (en/ru/kk), value transforms.
    ("DossierFormat", []),
    // The project's folders and files, `site.yml`, palettes, YAML with its limits.
    ("DossierProject", [.product(name: "Yams", package: "Yams")]),
    // Datasets: CSV/JSON/YAML readers, schemas, columns, the memory budget.
    ("DossierData", []),
    // Articles: front matter, slugs, page paths, pages made from data (`_pages.yml`).
    ("DossierContent", []),
    // Markdown through cmark-gfm, raw-HTML checks.
    ("DossierMarkdown", ["CCmarkGFM"]),
    // Figures in prose and the charts (they share values and scales): one target, two folders.
    ("DossierFigures", []),
    // Templates and assets: Dossier's own compiled Mustache engine (Engine/).
    ("DossierTemplates", []),
    // Search: words folded and stemmed, the sharded index the build writes.
    ("DossierSearch", []),
    // The site: page contexts, rendering, links, feed, the one build path and its sinks.
    ("DossierSite", []),
    // What the CLI, the server and the benchmarks import: every stage, re-exported.
    ("DossierKit", []),
]
let allStages: [Target.Dependency] = stages.map { .target(name: $0.name) }

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
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // The only target that knows cmark-gfm's C API exists.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // SHA-256's compression through the CPU's SHA instructions, where it has them (C: Swift
        // cannot name the instructions); DossierCore's `SHA256` asks the CPU and falls back.
        .target(name: "CSHA256"),
        // The pipeline, bottom to top (`stages` above). Each stage depends on every
        // stage under it (listed, not only through the one below: SwiftPM rebuilds a target
        // when a target it lists changes, and a stale build of a stage that reads a changed
        // class's fields would read the wrong memory) and on nothing above it: an upward import
        // does not compile. Names shared across targets are `package`; what users of the library
        // see is `public`. CONTRIBUTING.md draws the graph.
    ] + stages.enumerated().map { i, stage in
        .target(
            name: stage.name,
            dependencies: stages[..<i].map { .target(name: $0.name) } + stage.external,
            // The search page's script, embedded by .ci/embed-search.py (SearchScript.swift).
            exclude: stage.name == "DossierSearch" ? ["search.js"] : []
        )
    } + [
        // The dev server: the only target that knows FlyingFox.
        .target(
            name: "DossierServer",
            dependencies: allStages + [.product(name: "FlyingFox", package: "FlyingFox")]
        ),
        .executableTarget(
            name: "dossier",
            dependencies: allStages + ["DossierServer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Benchmarks: `swift run -c release dossier-benchmarks`. Not part of the test run.
        .executableTarget(
            name: "dossier-benchmarks",
            dependencies: allStages + ["DossierServer"],
            path: "Benchmarks/DossierBenchmarks"
        ),
        // The libFuzzer driver: declared only for `make fuzz` (DOSSIER_FUZZ=1), which builds it with
        // --sanitize=fuzzer --sanitize=address into .build-fuzz; never part of a normal build.
    ] + (Context.environment["DOSSIER_FUZZ"] == nil ? [] : [
        .executableTarget(name: "dossier-fuzz", dependencies: allStages, path: "Fuzzing/DossierFuzz"),
    ]) + [
        .testTarget(
            name: "DossierKitTests",
            dependencies: allStages + ["DossierServer", "dossier"],
            exclude: ["Fixtures"]
        ),
    ]
)
