import Foundation

/// When an HTTP request is worth repeating, and how long to wait before it.
///
/// Exponential backoff with jitter: retry *n* (from 0) waits `baseDelay × 2ⁿ`, capped at
/// `maxDelay`, less a random share of up to half of it, so that clients failing together do
/// not retry together. A 429 or 503 with `Retry-After` waits what the server asked, capped too.
package struct HTTPRetryPolicy: Sendable, Equatable {
    /// Repeats after the first attempt; 0 never repeats.
    package var maxRetries: Int
    package var baseDelay: Duration
    package var maxDelay: Duration

    package init(maxRetries: Int, baseDelay: Duration, maxDelay: Duration) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Request timeout, rate limit, and server errors that may pass. 501 and 505 say the
    /// server will never accept the request, so they are final.
    package static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || ((500...599).contains(status) && status != 501 && status != 505)
    }

    /// The wait before retry `retry` (0 for the first).
    ///
    /// - Parameters:
    ///   - retry: how many retries came before this one.
    ///   - status: the status that failed, or `nil` after a transport failure.
    ///   - retryAfter: the server's `Retry-After`, honoured on 429 and 503 only.
    ///   - jitter: a number in `0...1`; the share of half the backoff to take away.
    package func delay(beforeRetry retry: Int, status: Int?, retryAfter: Duration?, jitter: Double) -> Duration {
        if let retryAfter, status == 429 || status == 503 {
            return min(retryAfter, maxDelay)
        }
        // Doubling stops at the cap, so 2ⁿ never overflows Duration however many retries.
        var backoff = min(baseDelay, maxDelay)
        for _ in 0..<retry where backoff < maxDelay { backoff = min(backoff * 2, maxDelay) }
        return backoff - backoff * (min(max(jitter, 0), 1) / 2)
    }
}

extension CurlTransfer {
    /// The end of a request, retried or not.
    package enum Outcome: Sendable {
        case response(Response)
        case failure(Failure)
    }

    /// Performs `request`, repeating it as `policy` allows while the answer is a retryable
    /// status or a transient failure, sleeping the calling thread in between.
    ///
    /// - Returns: the last outcome (a success, a final status, or the last failure) and how many
    ///   attempts were made.
    package func perform(_ request: Request, retrying policy: HTTPRetryPolicy) -> (outcome: Outcome, attempts: Int) {
        var attempts = 0
        while true {
            attempts += 1
            let outcome: Outcome
            let status: Int?
            let retryAfter: Duration?
            do {
                let response = try perform(request)
                outcome = .response(response)
                guard Self.isRetryable(response) else { return (outcome, attempts) }
                (status, retryAfter) = (response.status, response.retryAfter)
            } catch {
                outcome = .failure(error)
                guard error.isTransient else { return (outcome, attempts) }
                (status, retryAfter) = (nil, nil)
            }
            guard attempts <= policy.maxRetries else { return (outcome, attempts) }
            let wait = policy.delay(
                beforeRetry: attempts - 1, status: status, retryAfter: retryAfter, jitter: .random(in: 0...1))
            Thread.sleep(forTimeInterval: wait / .seconds(1))
        }
    }

    private static func isRetryable(_ response: Response) -> Bool {
        !(200..<300).contains(response.status) && HTTPRetryPolicy.isRetryable(status: response.status)
    }
}
