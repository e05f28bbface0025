// The catalog's locations, errors and copy reports are part of the store's own API: a store
// is opened at a catalog location, and reports the catalog's failures.
@_exported import enum StrataCatalog.CatalogLocation
@_exported import struct StrataCatalog.CatalogError
@_exported import struct StrataCatalog.CatalogCopyReport
