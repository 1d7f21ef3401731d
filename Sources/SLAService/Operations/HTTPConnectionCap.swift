// Keeps the HTTP server's open connections under a cap by closing the oldest.

import NIOCore

/// A handler on the server (listening) channel: it sees each accepted connection, and when
/// ``HTTPLimits/maxConnections`` are open it closes the oldest before taking the new one.
///
/// Closing the oldest rather than refusing the newest keeps the endpoints answering under a
/// flood of idle connections: a probe that arrives is served at once, where a refusing cap
/// would leave it queued behind the flood until timeouts freed a slot. Each new connection
/// also gets a ``HTTPRequestDeadline`` first in its pipeline.
final class HTTPConnectionCap: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: all state is touched on the server channel's event loop only.
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let limits: HTTPLimits
    /// Open connections, oldest first, by identity.
    private var open: [ObjectIdentifier: any Channel] = [:]
    private var order: [ObjectIdentifier] = []
    /// Connections closed to make room, for the tests and the log.
    private(set) var evicted = 0

    init(limits: HTTPLimits) { self.limits = limits }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        let id = ObjectIdentifier(child)
        while open.count >= limits.maxConnections, let oldest = order.first {
            order.removeFirst()
            if let c = open.removeValue(forKey: oldest) {
                evicted += 1
                c.close(promise: nil)
            }
        }
        open[id] = child
        order.append(id)
        let loop = context.eventLoop
        let box = NIOLoopBound(self, eventLoop: loop)
        child.closeFuture.hop(to: loop).whenComplete { _ in
            let cap = box.value
            if cap.open.removeValue(forKey: id) != nil { cap.order.removeAll { $0 == id } }
        }
        let limits = self.limits
        // Added on the child's own loop before it reads: the deadline runs from the accept.
        child.eventLoop.execute {
            try? child.pipeline.syncOperations.addHandler(HTTPRequestDeadline(limits: limits), position: .first)
        }
        context.fireChannelRead(data)
    }
}
