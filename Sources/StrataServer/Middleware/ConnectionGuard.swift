import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Guards each HTTP/1 connection against clients that trickle or that keep sending after
/// they were answered.
///
/// - **Slow headers**: a request head must arrive whole within ``Limits/headerSeconds`` of the
///   connection opening or of the previous response; a slow-loris client that sends a byte
///   every few seconds (and so never trips the idle timeout) is cut off.
/// - **Slow bodies**: a request body must arrive whole within ``Limits/bodySeconds`` of its
///   head.
/// - **Answers before the body ends** (413 for a body past the limit, 401, 404 …): many
///   clients (Python's `urllib`, most SDKs) write the whole body before they read anything,
///   so a server that answers and then stops reading leaves them blocked on a full socket
///   until their own timeout. The guard marks such an answer `Connection: close`, then keeps
///   reading and discarding the rest of the body, for at most ``Limits/lingerBytes`` and
///   ``Limits/lingerSeconds``, and closes the connection: the client finishes writing, reads
///   its answer, and sees the connection end (what nginx calls a lingering close).
///
/// Sits in the pipeline after the HTTP decoding and before Hummingbird's request handling,
/// one instance per connection, on that connection's event loop.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The guard's bounds; see ``ServerConfiguration``.
    struct Limits: Sendable {
        var headerSeconds: Double
        var bodySeconds: Double
        var lingerBytes: Int
        var lingerSeconds: Double
    }

    private let limits: Limits
    /// Requests whose head arrived and whose answer has not ended (more than one only when a
    /// client pipelines).
    private var inFlight = 0
    /// Whether the latest request's body has not ended yet.
    private var bodyOpen = false
    /// Bytes discarded since an early answer ended; nil when not lingering.
    private var lingered: Int?
    private var deadline: Scheduled<Void>?

    /// Whether the answer being written is the early answer to a request still sending its
    /// body (the only request in flight; an earlier pipelined one has had its body whole).
    private var answeringEarly: Bool { inFlight == 1 && bodyOpen }

    init(limits: Limits) {
        self.limits = limits
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(limits.headerSeconds, context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if let discarded = lingered {
            switch part {
            case .head: close(context)
            case let .body(buffer):
                let total = discarded + buffer.readableBytes
                if total > limits.lingerBytes { close(context) } else { lingered = total }
            case .end: close(context)
            }
            return
        }
        switch part {
        case .head:
            inFlight += 1
            bodyOpen = true
            arm(limits.bodySeconds, context: context)
        case .body: break
        case .end:
            bodyOpen = false
            disarm()
        }
        context.fireChannelRead(data)
    }

    /// While lingering nothing downstream asks for more, so the guard does.
    func channelReadComplete(context: ChannelHandlerContext) {
        if lingered != nil {
            context.read()
            return
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case var .head(response):
            if answeringEarly {
                // Answered before the body ended: the connection will not carry another request.
                response.headerFields[.connection] = "close"
                context.write(wrapOutboundOut(.head(response)), promise: promise)
                return
            }
        case .end:
            if answeringEarly {
                lingered = 0
                arm(limits.lingerSeconds, context: context)
                context.read()
            } else if inFlight == 1 {
                arm(limits.headerSeconds, context: context)
            }
            inFlight = max(0, inFlight - 1)
        case .body: break
        }
        context.write(data, promise: promise)
    }

    /// Closes the connection after `seconds` unless the phase moves on first.
    private func arm(_ seconds: Double, context: ChannelHandlerContext) {
        deadline?.cancel()
        let loop = context.eventLoop.assumeIsolated()
        deadline = loop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) { [weak self] in
            guard let self else { return }
            self.close(context)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    private func close(_ context: ChannelHandlerContext) {
        disarm()
        context.close(promise: nil)
    }
}
