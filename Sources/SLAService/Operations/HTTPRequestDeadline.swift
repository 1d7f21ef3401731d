// Closes a connection that does not send a whole request in time, or sends a body.

import Foundation
import NIOCore

/// The first handler of every HTTP connection, on raw bytes: from the accept, and again from
/// each response's last byte, a whole request head (up to its blank line) must arrive within
/// ``HTTPLimits/requestTimeout``, or the connection is closed. This ends slowloris clients
/// (a byte every few seconds) and idle keep-alive connections alike. A head over
/// ``HTTPLimits/maxHeaderBytes``, or more than ``HTTPLimits/maxBodyBytes`` after it before the
/// response, closes the connection too: every endpoint is a GET.
final class HTTPRequestDeadline: ChannelDuplexHandler, RemovableChannelHandler, @unchecked Sendable {
    // @unchecked: touched on the connection's event loop only.
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let limits: HTTPLimits
    private var timer: Scheduled<Void>?
    /// Bytes of the head being read, or after the head before the response.
    private var counted = 0
    /// The last bytes seen, to find the blank line that ends a request head across reads.
    private var tail: [UInt8] = []
    private var waitingForHead = true

    init(limits: HTTPLimits) {
        self.limits = limits
        timeout = .milliseconds(Int64(limits.requestTimeout * 1000))
    }

    func handlerAdded(context: ChannelHandlerContext) { arm(context) }

    func handlerRemoved(context: ChannelHandlerContext) { timer?.cancel() }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).readableBytesView
        counted += bytes.count
        if waitingForHead {
            // A head ends at CRLF CRLF; keep the last three bytes of each read to find it across reads.
            let window = tail + bytes
            if let end = window.firstRange(of: [13, 10, 13, 10]) {
                waitingForHead = false
                timer?.cancel()
                tail = []
                counted = window.count - end.upperBound  // what follows the head counts as body
            } else {
                tail = Array(window.suffix(3))
                if counted > limits.maxHeaderBytes { context.close(promise: nil); return }
            }
        }
        if !waitingForHead, counted > limits.maxBodyBytes { context.close(promise: nil); return }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        // A flush ends a response (the server flushes at each response's end): the next request's head is due.
        if !waitingForHead {
            waitingForHead = true
            counted = 0
            arm(context)
        }
        context.flush()
    }

    private func arm(_ context: ChannelHandlerContext) {
        timer?.cancel()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) { bound.value.close(promise: nil) }
    }
}
