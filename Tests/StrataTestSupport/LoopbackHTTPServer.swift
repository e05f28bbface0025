import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for tests (shared by every test target that talks
/// HTTP, hence `package`): one thread per connection, one request
/// per connection (`Connection: close`), answers from a scripted handler.
///
/// The port is chosen by the kernel (bind to port 0), so tests running in parallel never
/// collide. Every request is recorded, in arrival order, before the handler runs.
package final class LoopbackHTTPServer: @unchecked Sendable {
    package struct Request: Sendable {
        /// 0 for the first request this server received.
        package let number: Int
        package let method: String
        package let path: String
        /// Header names in lower case.
        package let headers: [String: String]
        package let body: [UInt8]

        /// The body as JSON, or `nil`.
        package var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
    }

    package struct Response: Sendable {
        package var status: Int
        package var headers: [String: String] = [:]
        package var body: [UInt8]
        /// Wait this long before answering, to make the client time out.
        package var delay: Duration = .zero

        package init(status: Int, headers: [String: String] = [:], body: String, delay: Duration = .zero) {
            self.status = status
            self.headers = headers
            self.body = Array(body.utf8)
            self.delay = delay
        }
    }

    package typealias Handler = @Sendable (Request) -> Response

    package let port: UInt16
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var received: [Request] = []

    /// Starts listening at once. The accept thread holds the server until ``stop()``.
    package init(handler: @escaping Handler) {
        self.handler = handler
        let (fd, port) = Self.bindLoopback()
        precondition(listen(fd, 64) == 0, "listen: errno \(errno)")
        listener = fd
        self.port = port
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Requests received so far.
    package var requests: [Request] { lock.withLock { received } }

    /// Wakes the accept loop, which then closes the socket; safe to call more than once.
    package func stop() {
        _ = shutdown(listener, Int32(SHUT_RDWR))
    }

    /// A port on which nothing listens: bound once by the kernel's choice, then released.
    package static func unusedPort() -> UInt16 {
        let (fd, port) = bindLoopback()
        close(fd)
        return port
    }

    private static func bindLoopback() -> (Int32, UInt16) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        precondition(fd >= 0, "socket: errno \(errno)")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        precondition(bound, "bind: errno \(errno)")
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                break  // shut down
            }
            Thread.detachNewThread { [self] in serve(connection) }
        }
        close(listener)
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = read(connection) else { return }
        let response = handler(request)
        if response.delay > .zero { Thread.sleep(forTimeInterval: response.delay / .seconds(1)) }
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        head += "Content-Type: application/json\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        write(connection, Array(head.utf8) + response.body)
    }

    /// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
    private func read(_ connection: Int32) -> Request? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        var expected = Int.max
        while bytes.count < expected {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            bytes += chunk[..<count]
            if headEnd == nil, let end = bytes.firstRange(of: separator)?.upperBound {
                headEnd = end
                let head = String(decoding: bytes[..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                expected = end + length
            }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).split(separator: "\r\n")
        let start = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return lock.withLock {
            let request = Request(
                number: received.count, method: String(start[0]), path: String(start[1]),
                headers: headers, body: Array(bytes[headEnd...]))
            received.append(request)
            return request
        }
    }

    private func write(_ connection: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            // MSG_NOSIGNAL: a client that gave up must not kill the test process with SIGPIPE.
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let count = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, flags) }
            guard count > 0 else { return }
            sent += count
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
