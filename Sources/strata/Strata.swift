import ArgumentParser
import Foundation
import StrataKernels

@main
struct Strata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Strata: a pattern-intelligence engine — vector index, store and analytics for code generators.",
        version: StrataVersion.current,
        subcommands: [
            Init.self, Ingest.self, Import.self, Export.self, Add.self, Get.self, Delete.self, Search.self, Use.self,
            Stats.self, Flush.self, Compact.self, Prune.self, Promote.self, Demote.self, Verify.self, Reembed.self, Embed.self,
            MigrateCatalog.self, SnapshotCommand.self, TenantCommand.self, AuditCommand.self,
            Bench.self, Version.self,
            Record.self, Records.self, Predict.self, BudgetCommand.self, Prices.self, Fit.self,
            Models.self,
            Cluster.self,
            Generate.self, Check.self,
            Serve.self, AlertsCommand.self,
        ]
    )

    /// Refuses to run on a CPU without the instructions the hot modules were compiled for,
    /// instead of dying on an illegal instruction in the middle of a search.
    static func main() {
        if CPUSupport.compiledForAVX2, !CPUSupport.runningCPUHasAVX2 {
            print("""
            error: this strata was built for CPUs with AVX2 and FMA, and this CPU has neither.
            Rebuild it here (make build), or build a portable binary with STRATA_TARGET_CPU=generic make build.
            """)
            Foundation.exit(2)
        }
        Self.main(nil)
    }
}
