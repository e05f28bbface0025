import CCurl
import Foundation

/// One libcurl easy handle that POSTs a body and collects the answer.
///
/// The HTTP embedder uses it, and so can any later HTTP client in the package (a chat
/// completions provider): it knows HTTP, not JSON or any API. A handle keeps its connection
/// cache between calls, so reusing one transfer for consecutive requests to the same server
/// saves the TCP and TLS handshakes; ``CurlTransferPool`` keeps idle ones.
///
/// - Important: A transfer belongs to one thread at a time. Take one from a pool, or create one
///   per call.
package final class CurlTransfer {
    /// What to send.
    package struct Request: Sendable {
        /// Full URL, `http` or `https`.
        package var url: String
        /// Header lines, `"Name: value"`.
        package var headers: [String]
        /// The request body, sent as is.
        package var body: [UInt8]
        /// The whole exchange (connect, send, wait, receive) must finish within this time.
        package var timeout: Duration
        /// Establishing the connection (and TLS) must finish within this time.
        package var connectTimeout: Duration
        /// An answer longer than this aborts the transfer with ``Failure/Kind/responseTooLarge``.
        package var maxResponseBytes: Int

        package init(
            url: String, headers: [String], body: [UInt8], timeout: Duration,
            connectTimeout: Duration, maxResponseBytes: Int = 256 << 20
        ) {
            self.url = url
            self.headers = headers
            self.body = body
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.maxResponseBytes = maxResponseBytes
        }
    }

    /// What came back: any status, including 4xx and 5xx.
    package struct Response: Sendable {
        /// HTTP status code of the final response.
        package var status: Int
        /// The body as received, decompressed if the server used `Content-Encoding`.
        package var body: [UInt8]
        /// The `Retry-After` header, in seconds or as an HTTP date, as a delay from now.
        package var retryAfter: Duration?
    }

    /// The exchange did not produce an HTTP response.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package enum Kind: Sendable, Equatable {
            /// No connection: refused, unreachable, or the name did not resolve.
            case couldNotConnect
            /// The connection was not established within the connect timeout.
            case connectTimedOut
            /// Connected, but the exchange did not finish within the timeout.
            case timedOut
            /// The connection broke while sending or receiving.
            case connectionLost
            /// The answer exceeded ``Request/maxResponseBytes``.
            case responseTooLarge
            /// Anything else: a malformed URL, a TLS error, libcurl out of memory.
            case other
        }

        /// What went wrong, as far as a retry decision is concerned.
        package var kind: Kind
        /// libcurl's message, with its detail (`Failed to connect to 127.0.0.1 port 9: Connection refused`).
        package var message: String

        /// Whether trying again may succeed: the server may come up, the network may heal.
        package var isTransient: Bool {
            switch kind {
            case .couldNotConnect, .connectTimedOut, .timedOut, .connectionLost: true
            case .responseTooLarge, .other: false
            }
        }

        package var description: String { message }
    }

    /// `curl_global_init` must run once before any other libcurl call and is not thread-safe
    /// itself; a global's lazy initialiser runs exactly once, under `swift_once`.
    private static let globalInit: CURLcode = strata_curl_global_init_default()

    private let handle: UnsafeMutableRawPointer
    /// libcurl writes the detailed message of a failed transfer here; it must outlive the handle.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Creates an easy handle.
    ///
    /// - Throws: ``Failure`` of kind `.other` when libcurl cannot initialise.
    package init() throws(Failure) {
        guard Self.globalInit == CURLE_OK else {
            throw Failure(kind: .other, message: "curl_global_init failed: \(Self.text(Self.globalInit))")
        }
        guard let handle = curl_easy_init() else {
            throw Failure(kind: .other, message: "curl_easy_init returned no handle (out of memory?)")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        do {
            try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
            // Timeouts otherwise use SIGALRM, which is process-wide and unsafe with threads.
            try set(CURLOPT_NOSIGNAL, 1)
            try set(CURLOPT_POST, 1)
            try set(CURLOPT_PROTOCOLS_STR, "http,https")
            try set(CURLOPT_USERAGENT, "strata")
            // Empty: accept every encoding this libcurl can decode (gzip answers are ~3× smaller).
            try set(CURLOPT_ACCEPT_ENCODING, "")
        } catch {
            curl_easy_cleanup(handle)
            errorBuffer.deallocate()
            throw error
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends `request` as a POST and waits for the whole answer.
    ///
    /// An `Expect:` header is always added (empty), so that libcurl never waits for a
    /// `100 Continue` that many servers do not send.
    ///
    /// - Returns: the final response, whatever its status.
    /// - Throws: ``Failure`` when no complete response arrived.
    package func perform(_ request: Request) throws(Failure) -> Response {
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for line in request.headers + ["Expect:"] {
            guard let longer = curl_slist_append(headerList, line) else {
                throw Failure(kind: .other, message: "curl_slist_append failed (out of memory)")
            }
            headerList = longer
        }
        let receiver = Receiver(limit: request.maxResponseBytes)
        let context = Unmanaged.passUnretained(receiver).toOpaque()
        errorBuffer[0] = 0

        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        try check(strata_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "curl_easy_setopt(HTTPHEADER)")
        try check(strata_curl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, Receiver.body), "curl_easy_setopt(WRITEFUNCTION)")
        try check(strata_curl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, Receiver.header), "curl_easy_setopt(HEADERFUNCTION)")
        try set(CURLOPT_WRITEDATA, pointer: context)
        try set(CURLOPT_HEADERDATA, pointer: context)
        try set(CURLOPT_POSTFIELDSIZE, request.body.count)

        // The handle keeps POSTFIELDS as a pointer, not a copy: it is valid only inside this
        // closure, so the transfer runs here and the pointer is cleared right after.
        let body = request.body.isEmpty ? [0] : request.body
        let code = body.withUnsafeBytes { bytes in
            let set = strata_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            guard set == CURLE_OK else { return set }
            return curl_easy_perform(handle)
        }
        // Nothing the handle points at outlives this call: the body, the receiver, the header list.
        _ = strata_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, nil)
        _ = strata_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, nil)
        _ = strata_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, nil)
        _ = strata_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, nil)

        guard code == CURLE_OK else { throw failure(code, receiver: receiver, limit: request.maxResponseBytes) }
        var status = 0
        try check(strata_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), "curl_easy_getinfo(RESPONSE_CODE)")
        return Response(status: status, body: receiver.body, retryAfter: receiver.retryAfter.flatMap(Self.parseRetryAfter))
    }

    /// Parses a `Retry-After` value: delay seconds (`120`) or an HTTP date.
    package static func parseRetryAfter(_ value: String) -> Duration? {
        let value = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(value) { return seconds >= 0 ? .seconds(seconds) : nil }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = format.date(from: value) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSinceNow * 1000)))
    }

    // MARK: - libcurl calls

    private func set(_ option: CURLoption, _ value: Int) throws(Failure) {
        try check(strata_curl_setopt_long(handle, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    private func set(_ option: CURLoption, _ value: String) throws(Failure) {
        // libcurl copies string options, so the temporary C string may go away after the call.
        try check(strata_curl_setopt_string(handle, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(Failure) {
        try check(strata_curl_setopt_pointer(handle, option, pointer), "curl_easy_setopt(\(option.rawValue))")
    }

    /// The one place a libcurl return code is checked: names the function that failed.
    private func check(_ code: CURLcode, _ function: String) throws(Failure) {
        guard code != CURLE_OK else { return }
        throw Failure(kind: .other, message: "\(function) failed: \(Self.text(code))")
    }

    private func failure(_ code: CURLcode, receiver: Receiver, limit: Int) -> Failure {
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? Self.text(code) : "\(Self.text(code)): \(detail)"
        let kind: Failure.Kind
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT:
            // A connect time of zero means the connection was never established.
            var connectTime = 0.0
            _ = strata_curl_getinfo_double(handle, CURLINFO_CONNECT_TIME, &connectTime)
            kind = connectTime == 0 ? .connectTimedOut : .timedOut
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            kind = .connectionLost
        case CURLE_WRITE_ERROR where receiver.overflowed:
            return Failure(kind: .responseTooLarge, message: "the answer is larger than \(limit) bytes")
        default:
            kind = .other
        }
        return Failure(kind: kind, message: message)
    }

    private static func text(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        // 0 would mean "no timeout" to libcurl; a positive duration never rounds down to it.
        max(1, Int((duration / .milliseconds(1)).rounded(.up)))
    }
}

/// Collects one transfer's body and headers; libcurl calls back into it from `curl_easy_perform`
/// on the performing thread, through an unretained pointer that `perform` keeps alive.
private final class Receiver {
    var body: [UInt8] = []
    var retryAfter: String?
    var overflowed = false
    let limit: Int

    init(limit: Int) { self.limit = limit }

    static let body: curl_write_callback = { data, size, count, context in
        let receiver = Unmanaged<Receiver>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard receiver.body.count + length <= receiver.limit else {
            receiver.overflowed = true
            return 0  // anything but `length` makes libcurl abort with CURLE_WRITE_ERROR
        }
        if length > 0, let data {
            data.withMemoryRebound(to: UInt8.self, capacity: length) {
                receiver.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
            }
        }
        return length
    }

    /// Called once per header line, `\r\n` included, for every response of the exchange.
    static let header: curl_write_callback = { data, size, count, context in
        let receiver = Unmanaged<Receiver>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard length > 0, let data else { return length }
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            receiver.retryAfter = nil  // a new response (after a 100 Continue or a redirect)
        } else if let colon = line.firstIndex(of: ":"),
                  line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "retry-after" {
            receiver.retryAfter = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return length
    }
}
