import StrataTracing
import Testing

/// W3C Trace Context's `traceparent`, read and written as the recommendation says.
@Suite struct TraceContextTests {
    @Test func aTraceparentRoundTrips() throws {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let context = try #require(TraceContext(traceparent: header, state: "vendor=x"))
        #expect(context.traceID.high == 0x4bf9_2f35_77b3_4da6 && context.traceID.low == 0xa3ce_929d_0e0e_4736)
        #expect(context.spanID == 0x00f0_67aa_0ba9_02b7 && context.sampled && context.state == "vendor=x")
        #expect(context.traceparent == header)
        #expect(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.sampled == false)
        // A later version may add fields, which a version-00 reader ignores.
        #expect(TraceContext(traceparent: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next") != nil)
    }

    @Test func whatTheRecommendationSaysToIgnoreIsIgnored() {
        for header in [
            "", "00", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff is invalid
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // trace id of zeros
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // span id of zeros
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // 31 digits
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has four fields
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01", "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ] {
            #expect(TraceContext(traceparent: header) == nil, "\(header)")
        }
    }
}
