// The catalog's locations, errors and copy reports are part of the store's own API: a store
// is opened at a catalog location, and reports the catalog's failures.
@_exported import enum StrataCatalog.CatalogLocation
@_exported import struct StrataCatalog.CatalogError
@_exported import struct StrataCatalog.CatalogCopyReport
// Every write is audited: the log's records, queries and verdicts are the store's own API.
@_exported import struct StrataCatalog.AuditContext
@_exported import struct StrataCatalog.AuditEvent
@_exported import struct StrataCatalog.AuditEntry
@_exported import struct StrataCatalog.AuditQuery
@_exported import struct StrataCatalog.AuditVerification
@_exported import enum StrataCatalog.AuditTrail
// …and carried, with the trace, to the threads a request's work moves to.
@_exported import struct StrataCatalog.WorkContext

// A store is created and opened with an embedder, and re-embeds from one to another: the
// embedders are part of the store's own API.
@_exported import StrataEmbedding
