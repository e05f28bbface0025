import Hummingbird
import StrataStore

/// What a request carries through the service's middleware and handlers: Hummingbird's core
/// context, the moment the request arrived (Qdrant's answers report the seconds since), and
/// the body decoder every route reads its request with.
public struct StrataRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// When the server began the request.
    public let arrival: ContinuousClock.Instant
    /// The largest request body a route reads, in bytes: the configuration's `max_body_bytes`,
    /// set by ``BodyLimitMiddleware`` (default 32 MiB, ``ServerConfiguration/maxBodyBytes``).
    public var maxUploadSize: Int
    /// Who sent the request: the tenant and role of its key, set by ``TenantGate``; nil for a
    /// store without keys, which serves everyone as its default tenant.
    public var principal: TenantPrincipal?
    /// The tenant whose store the request is served from.
    public var tenant: String = TenantDirectory.defaultTenant
    /// Whether the store has keys (a request without one is then refused, but the probes).
    public var keysRequired = false

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        arrival = .now
        // Every request makes a context: the default is a constant, not a configuration built anew.
        maxUploadSize = ServerConfiguration.defaultMaxBodyBytes
    }

    /// Bodies are read by ``JSONBodyDecoder``: typed, strict, every failure naming its field.
    public var requestDecoder: JSONBodyDecoder { JSONBodyDecoder() }
}
