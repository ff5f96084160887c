/// The stage below this one, re-exported: each stage sees every stage under it, none above.
@_exported import DossierProject
