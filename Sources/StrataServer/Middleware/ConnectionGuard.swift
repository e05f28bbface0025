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

    private enum Phase {
        /// Waiting for a request head.
        case awaitingHead
        /// A head arrived; its body has not ended.
        case readingBody
        /// The request was read whole; its answer has not ended.
        case answering
        /// Answered before the body ended: discarding the rest until it ends or a limit passes.
        case lingering(discarded: Int)
    }

    private let limits: Limits
    private var phase = Phase.awaitingHead
    private var deadline: Scheduled<Void>?

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
        if case let .lingering(discarded) = phase {
            switch part {
            case .head: close(context)
            case let .body(buffer):
                let total = discarded + buffer.readableBytes
                if total > limits.lingerBytes { close(context) } else { phase = .lingering(discarded: total) }
            case .end: close(context)
            }
            return
        }
        switch part {
        case .head:
            phase = .readingBody
            arm(limits.bodySeconds, context: context)
        case .body: break
        case .end:
            phase = .answering
            disarm()
        }
        context.fireChannelRead(data)
    }

    /// While lingering nothing downstream asks for more, so the guard does.
    func channelReadComplete(context: ChannelHandlerContext) {
        if case .lingering = phase {
            context.read()
            return
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case var .head(response):
            if case .readingBody = phase {
                // Answered before the body ended: the connection will not carry another request.
                response.headerFields[.connection] = "close"
                context.write(wrapOutboundOut(.head(response)), promise: promise)
                return
            }
        case .end:
            switch phase {
            case .readingBody:
                phase = .lingering(discarded: 0)
                arm(limits.lingerSeconds, context: context)
                context.read()
            case .answering:
                phase = .awaitingHead
                arm(limits.headerSeconds, context: context)
            default: break
            }
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
