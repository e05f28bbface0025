import StrataStore

extension NodeType {
    /// The method through which ONEX runs a node of this type: `execute_effect`,
    /// `execute_compute`, `execute_reduction`, `execute_orchestration`; empty for `none`.
    public var entryMethod: String {
        switch self {
        case .effect: return "execute_effect"
        case .compute: return "execute_compute"
        case .reducer: return "execute_reduction"
        case .orchestrator: return "execute_orchestration"
        case .none: return ""
        }
    }
}
