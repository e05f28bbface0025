import StrataTransport
import Testing

@Test func backoffDoublesIsCappedAndHonoursRetryAfterOnlyWhenAsked() {
    let policy = HTTPRetryPolicy(maxRetries: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
    func delay(_ retry: Int, _ status: Int?, _ retryAfter: Duration? = nil, jitter: Double = 0) -> Double {
        policy.delay(beforeRetry: retry, status: status, retryAfter: retryAfter, jitter: jitter) / .milliseconds(1)
    }
    #expect(abs(delay(0, 500) - 100) < 1e-6)
    #expect(abs(delay(2, 500) - 400) < 1e-6)
    #expect(abs(delay(2, nil, jitter: 1) - 200) < 1e-6)
    #expect(abs(delay(40, nil) - 1000) < 1e-6)
    #expect(delay(0, 429, .zero) == 0)
    #expect(delay(0, 503, .seconds(600)) == 1000)
    #expect(abs(delay(0, 500, .seconds(600)) - 100) < 1e-6)
    #expect(HTTPRetryPolicy.isRetryable(status: 429) && HTTPRetryPolicy.isRetryable(status: 502))
    #expect(!HTTPRetryPolicy.isRetryable(status: 400) && !HTTPRetryPolicy.isRetryable(status: 501))

    #expect(CurlTransfer.parseRetryAfter(" 120 ") == .seconds(120))
    #expect(CurlTransfer.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == .zero)
    #expect(CurlTransfer.parseRetryAfter("soon") == nil)
}
