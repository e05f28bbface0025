import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL catalog is, read from its URL.
struct PostgresTarget: CustomStringConvertible {
    let host: String
    let port: Int
    let user: String
    let password: String?
    let database: String
    /// The schema the store's tables live in (`?schema=name`), nil for the user's default.
    let schema: String?
    /// How the connection uses TLS (`?sslmode=`), as libpq reads it.
    let sslMode: SSLMode
    /// A PEM file of the certificate authorities to trust (`?sslrootcert=`); the system's
    /// when nil.
    let rootCertificates: String?

    /// libpq's `sslmode` values, with libpq's meaning.
    enum SSLMode: String, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, plain otherwise; the certificate is not checked.
        case prefer
        /// TLS or no connection; the certificate is not checked.
        case require
        /// TLS, and the certificate must chain to a trusted authority.
        case verifyCA = "verify-ca"
        /// TLS, a trusted chain, and the certificate must name the host connected to.
        case verifyFull = "verify-full"
    }

    /// Reads `postgres://user[:password]@host[:port]/database` (or `postgresql://`).
    init(url: String) throws(CatalogError) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw .location("catalog", url, expected: "a URL such as postgres://user@host:5432/database")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw .location("catalog", url, expected: "a host: postgres://user@host:5432/database")
        }
        guard let user = parts.user, !user.isEmpty else {
            throw .location("catalog", url, expected: "a user: postgres://user@\(host):5432/database")
        }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw .location("catalog", url, expected: "one database name after the host: postgres://\(user)@\(host):5432/database")
        }
        let schema = parts.queryItems?.first(where: { $0.name == "schema" })?.value
        if let schema, schema.isEmpty || schema.count > 63 || !schema.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) || schema.first!.isNumber {
            throw .location("catalog schema", schema, expected: "a lower-case name of letters, digits and underscores, not starting with a digit, at most 63 characters")
        }
        self.schema = schema
        let mode = parts.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? SSLMode.prefer.rawValue
        guard let sslMode = SSLMode(rawValue: mode) else {
            throw .location("catalog sslmode", mode, expected: SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if sslMode == .verifyFull, host.allSatisfy({ $0.isNumber || $0 == "." }) || host.contains(":") {
            throw .location("catalog host", host, expected: "a host name with sslmode=verify-full, the name the server's certificate carries (verify-ca checks the chain alone for an address)")
        }
        self.sslMode = sslMode
        rootCertificates = parts.queryItems?.first(where: { $0.name == "sslrootcert" })?.value
        self.host = host
        self.port = parts.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = parts.password?.removingPercentEncoding
        self.database = database
    }

    /// The connection's configuration, its TLS context built from the mode and the roots.
    func configuration() throws(CatalogError) -> PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: try tls())
    }

    private func tls() throws(CatalogError) -> PostgresConnection.Configuration.TLS {
        var settings = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return .disable
        case .prefer, .require: settings.certificateVerification = .none
        case .verifyCA: settings.certificateVerification = .noHostnameVerification
        case .verifyFull: settings.certificateVerification = .fullVerification
        }
        if let rootCertificates {
            guard FileManager.default.isReadableFile(atPath: rootCertificates) else {
                throw .location("catalog sslrootcert", rootCertificates, expected: "a readable PEM file of the certificate authorities to trust")
            }
            settings.trustRoots = .file(rootCertificates)
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: settings)
        } catch {
            throw .location("catalog sslrootcert", rootCertificates ?? "(the system's)", expected: "PEM certificates TLS can load (\(error))")
        }
        return sslMode == .prefer ? .prefer(context) : .require(context)
    }

    /// The URL without its password.
    var description: String {
        var options: [String] = schema.map { ["schema=\($0)"] } ?? []
        if sslMode != .prefer { options.append("sslmode=\(sslMode.rawValue)") }
        return "postgres://\(user)@\(host):\(port)/\(database)" + (options.isEmpty ? "" : "?" + options.joined(separator: "&"))
    }
}

extension CatalogError {
    /// A location that does not parse: `name` (which setting), `value` and what was expected.
    static func location(_ name: String, _ value: String, expected: String) -> CatalogError {
        CatalogError(.invalidLocation, "\(name) = \(value) is not valid: expected \(expected)")
    }
}
