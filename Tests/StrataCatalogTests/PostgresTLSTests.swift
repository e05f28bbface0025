import Foundation
import StrataCatalog
import StrataTestSupport
import Testing

/// TLS to a PostgreSQL catalog, against the throwaway server `Tests/with-postgres.sh` starts
/// with a certificate from its own authority (`STRATA_TEST_POSTGRES_CA`): each `sslmode`
/// does what libpq's does, a certificate from an untrusted authority is refused, and the
/// password appears in no description or error.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["STRATA_TEST_POSTGRES_CA"] != nil,
                "needs STRATA_TEST_POSTGRES_CA (make test starts a server with TLS)"))
struct PostgresTLSTests {
    let port: Int
    let authority: String
    let otherAuthority: String
    static let password = "hunter2-not-for-logs"

    init() throws {
        let environment = ProcessInfo.processInfo.environment
        let url = try #require(environment["STRATA_TEST_POSTGRES"].flatMap { URLComponents(string: $0) })
        port = try #require(url.port)
        authority = try #require(environment["STRATA_TEST_POSTGRES_CA"])
        otherAuthority = try #require(environment["STRATA_TEST_POSTGRES_OTHER_CA"])
    }

    func url(host: String = "127.0.0.1", _ options: String) -> String {
        "postgres://strata:\(Self.password)@\(host):\(port)/postgres?\(options)"
    }

    /// Whether the server says this connection is encrypted.
    func encrypted(_ url: String) throws -> Bool {
        let database = try PostgreSQLDatabase(url: url)
        defer { database.close() }
        let statement = try database.statement("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        #expect(try statement.step())
        return statement.string(0) == "true"
    }

    @Test func eachModeConnectsAsLibpqWould() throws {
        #expect(try !encrypted(url("sslmode=disable")))
        #expect(try encrypted(url("sslmode=prefer")))
        #expect(try encrypted(url("sslmode=require")))
        #expect(try encrypted(url("sslmode=verify-ca&sslrootcert=\(authority)")))
        #expect(try encrypted(url(host: "localhost", "sslmode=verify-full&sslrootcert=\(authority)")))
        // No sslmode means prefer, as in libpq: this server offers TLS, so it is used.
        #expect(try encrypted("postgres://strata@127.0.0.1:\(port)/postgres"))
    }

    @Test func anUntrustedCertificateIsRefusedAndThePasswordNeverShows() throws {
        for options in ["sslmode=verify-ca&sslrootcert=\(otherAuthority)", "sslmode=verify-full&sslrootcert=\(otherAuthority)"] {
            let target = url(host: "localhost", options)
            do {
                _ = try PostgreSQLDatabase(url: target)
                Issue.record("\(options): connected through a certificate no trusted authority signed")
            } catch {
                let text = "\(error) \(String(reflecting: error))"
                #expect(text.contains("cannot connect to postgres://strata@localhost"), "\(text)")
                #expect(!text.contains(Self.password), "the password is in the error: \(text)")
            }
        }
        let location = try CatalogLocation(parsing: url("sslmode=verify-ca&sslrootcert=\(authority)"))
        #expect(!location.description.contains(Self.password) && !String(reflecting: location).contains(Self.password))
    }
}
