/// The stages below this one, re-exported: each stage sees every stage under it and none above.
/// Each is also a dependency in Package.swift, so that a change to any of them rebuilds this one.
@_exported import DossierCore
