/// The stages below this one, re-exported: each stage sees every stage under it and none above.
/// Each is also a dependency in Package.swift, so that a change to any of them rebuilds this one.
@_exported import DossierCore
@_exported import DossierFormat
@_exported import DossierProject
@_exported import DossierData
@_exported import DossierContent
@_exported import DossierMarkdown
@_exported import DossierFigures
@_exported import DossierTemplates
@_exported import DossierSearch
