/// What a key may do within its tenant.
public enum TenantRole: String, Sendable, CaseIterable, Comparable, Codable {
    /// Searches, lists, reads, reports: nothing that changes the store.
    case read
    /// Everything a tenant does with its own data: adds, deletes, generations, budgets.
    case write
    /// Everything, in every tenant: makes tenants, issues and revokes keys, reads costs.
    case admin

    /// Whether a key of this role may do what `needed` allows.
    public func permits(_ needed: TenantRole) -> Bool { self >= needed }

    public static func < (lhs: TenantRole, rhs: TenantRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The role named `text`.
    ///
    /// - Throws: ``StoreError/invalidArgument(name:value:expected:)`` naming the roles.
    public static func named(_ text: String) throws(StoreError) -> TenantRole {
        guard let role = TenantRole(rawValue: text.lowercased()) else {
            throw .invalidArgument(name: "role", value: text, expected: "read, write or admin")
        }
        return role
    }
}

/// Who a request comes from: the tenant and role of the key it carried.
public struct TenantPrincipal: Sendable, Equatable {
    /// The key's tenant: the one whose data the request sees (an admin may name another).
    public var tenant: String
    /// What the key may do.
    public var role: TenantRole
    /// The key's id (never the key itself), for logs and the audit trail.
    public var keyID: String

    public init(tenant: String, role: TenantRole, keyID: String) {
        self.tenant = tenant
        self.role = role
        self.keyID = keyID
    }
}
