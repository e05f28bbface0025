import StrataGeneration
import StrataStore
import Testing

extension ValidationGatesTests {
    @Test func anUnresolvedRelativeImportFails() throws {
        var node = NodeFixtures.valid(.compute)
        node.replace("from .models import", with: "from .modelz import", in: node.nodePath)
        let line = try #require(node.line(of: "from .modelz import", in: node.nodePath))
        let imports = try Self.run(.imports, on: node)
        #expect(imports.status == .failed)
        #expect(imports.issues.count == 1)
        #expect(imports.issues.first?.line == line)
        #expect(imports.detail.contains("v1_0_0/node.py line \(line): from .modelz import"))
        #expect(imports.detail.contains("no module modelz in the node (looked for v1_0_0/modelz.py and v1_0_0/modelz/__init__.py)"))
    }

    @Test func aNameTheTargetDoesNotDefineFails() throws {
        var node = NodeFixtures.valid(.reducer)
        let testPath = "v1_0_0/tests/test_node.py"
        node.replace("from ..node import NodeMetricsAggregatorReducer", with: "from ..node import NodeMetricsAggregatorReducer, helper", in: testPath)
        let imports = try Self.run(.imports, on: node)
        #expect(imports.status == .failed)
        #expect(imports.detail.contains("\(testPath) line 6: from ..node import NodeMetricsAggregatorReducer, helper: v1_0_0/node.py neither defines nor imports helper"))
    }

    @Test func packagesReExportAndHoldSubmodules() throws {
        var node = NodeFixtures.valid(.reducer)
        // `models/__init__.py` re-exports the models; the submodule itself is importable too.
        node.setFile("v1_0_0/helpers.py", text: """
            from .models import ModelMetricsAggregatorInput
            from . import models, node
            from .models import model_metrics_aggregator_output
            from node_monitoring_metrics_aggregator_reducer.v1_0_0.models import ModelMetricsAggregatorOutput
            """)
        let imports = try Self.run(.imports, on: node)
        #expect(imports.status == .passed, "\(imports.detail)")
        node.setFile("v1_0_0/helpers.py", text: "from .. import missing\nfrom ... import above\n")
        let broken = try Self.run(.imports, on: node)
        #expect(broken.issues.map(\.line) == [1, 2])
        #expect(broken.detail.contains("__init__.py neither defines nor imports missing"))
        #expect(broken.detail.contains("goes 3 packages up, above the node's folder"))
    }

    @Test func anUnguardedThirdPartyImportFailsAndAGuardedOnePasses() throws {
        var node = NodeFixtures.valid(.compute)
        node.replace("import logging\n", with: "import logging\nimport requests\n", in: node.nodePath)
        let line = try #require(node.line(of: "import requests", in: node.nodePath))
        let imports = try Self.run(.imports, on: node)
        #expect(imports.status == .failed)
        #expect(imports.detail.contains("v1_0_0/node.py line \(line): import requests: requests is not in the standard library"))

        var guarded = NodeFixtures.valid(.compute)
        guarded.replace("import logging\n", with: "import logging\n\ntry:\n    import requests\nexcept ImportError:  # optional\n    requests = None\n", in: guarded.nodePath)
        let passing = try Self.run(.imports, on: guarded)
        #expect(passing.status == .passed, "\(passing.detail)")
    }

    @Test func aDependencyMayBeImportedLazilyButNotAtModuleLevel() throws {
        var node = NodeFixtures.valid(.effect)
        #expect(try Self.run(.imports, on: node).status == .passed)
        node.replace("import logging\n", with: "import logging\nimport psycopg\n", in: node.nodePath)
        let imports = try Self.run(.imports, on: node)
        #expect(imports.status == .failed)
        #expect(imports.detail.contains("psycopg is a contract dependency but is imported at module level"))
        // Lazily importing something the contract does not list is still refused.
        var lazy = NodeFixtures.valid(.effect)
        lazy.replace("import psycopg\n", with: "import pymongo\n", in: lazy.nodePath)
        #expect(try Self.run(.imports, on: lazy).detail.contains("pymongo is not in the standard library"))
    }

    @Test func pytestBelongsToTests() throws {
        var node = NodeFixtures.valid(.orchestrator)
        node.replace("import logging\n", with: "import logging\nimport pytest\n", in: node.nodePath)
        let imports = try Self.run(.imports, on: node)
        #expect(imports.issues.map(\.path) == [node.nodePath])
        #expect(imports.detail.contains("pytest is for tests only"))
    }
}
