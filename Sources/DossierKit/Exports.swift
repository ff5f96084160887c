/// DossierKit is the pipeline's top: it re-exports every stage, so the CLI, the server, the
/// benchmarks and the fuzzer import one module. The stages themselves import only what is below
/// them (see Package.swift and CONTRIBUTING.md).
@_exported import DossierCore
@_exported import DossierFormat
@_exported import DossierProject
@_exported import DossierData
@_exported import DossierContent
@_exported import DossierMarkdown
@_exported import DossierFigures
@_exported import DossierTemplates
@_exported import DossierSearch
@_exported import DossierSite
