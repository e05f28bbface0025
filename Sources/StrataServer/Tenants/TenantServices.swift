import Foundation
import Hummingbird
import StrataAnalytics
import StrataStore
import Synchronization

/// The tenants a service serves: the directory of tenants and keys (opened on first use) and
/// a workspace with its responder per tenant, made at the tenant's first request.
final class TenantServices: Sendable {
    /// The default tenant's: the served store itself.
    let primary: TenantWorkspace
    private let configuration: ServerConfiguration
    private let directory = Mutex<TenantDirectory?>(nil)
    private let served: Mutex<[String: (workspace: TenantWorkspace, responder: any HTTPResponder<StrataRequestContext>)]> = Mutex([:])
    /// Makes the responder of a workspace: the service's router, over that workspace.
    let makeResponder: Mutex<(@Sendable (TenantWorkspace) -> any HTTPResponder<StrataRequestContext>)?> = Mutex(nil)

    init(primary: TenantWorkspace, configuration: ServerConfiguration) {
        self.primary = primary
        self.configuration = configuration
    }

    /// The store's tenants and keys.
    ///
    /// - Throws: 503 when the catalog cannot be reached.
    var tenants: TenantDirectory {
        get throws(ServerError) {
            try directory.withLock { (directory) throws(ServerError) -> TenantDirectory in
                if let directory { return directory }
                do throws(StoreError) {
                    let opened = try TenantDirectory(store: primary.store)
                    directory = opened
                    return opened
                } catch {
                    throw ServerError(error.status, "the tenants cannot be opened: \(error.description)")
                }
            }
        }
    }

    /// The workspace and responder of `tenant`, made at its first request.
    ///
    /// - Throws: 404 for a tenant the store does not have.
    func responder(for tenant: String) throws(ServerError) -> (workspace: TenantWorkspace, responder: any HTTPResponder<StrataRequestContext>) {
        if let found = served.withLock({ $0[tenant] }) { return found }
        let workspace: TenantWorkspace
        if tenant == TenantDirectory.defaultTenant {
            workspace = primary
        } else {
            let tenants = try tenants
            let found: PatternStore?
            do throws(StoreError) {
                found = try tenants.store(of: tenant)
            } catch {
                throw ServerError(error.status, error.description)
            }
            guard let store = found else { throw .notFound("there is no tenant \"\(tenant)\"") }
            let tracker: PerformanceTracker
            do {
                tracker = try PerformanceTracker(catalog: AnalyticsCatalog(location: store.catalogLocation, create: false))
            } catch {
                throw ServerError(answering: error)
            }
            let output = configuration.output.map { $0 + "/tenants/" + tenant } ?? (store.directory + "/generated")
            workspace = TenantWorkspace(name: tenant, store: store, tracker: tracker, outputDirectory: output)
        }
        guard let make = makeResponder.withLock({ $0 }) else { throw .internal("the service has no router yet") }
        return served.withLock { served in
            if let found = served[tenant] { return found }
            let made = (workspace: workspace, responder: make(workspace))
            served[tenant] = made
            return made
        }
    }

    /// The workspaces made so far.
    var workspaces: [TenantWorkspace] { served.withLock { $0.values.map(\.workspace) } }

    /// Closes the tenants' collections and stores (not the primary store: its owner does).
    func closeAll() {
        for workspace in workspaces where workspace !== primary { workspace.collections.closeAll() }
        directory.withLock { $0?.closeAll() }
    }
}
