/// Dossier's users see the core's public types (``Diagnostic``, ``DiagnosticCode``) through
/// DossierKit.
@_exported import DossierCore
