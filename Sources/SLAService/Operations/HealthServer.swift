// The HTTP endpoints for operators: /metrics (Prometheus), /healthz, /readyz.

import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import SLACore

/// Builds the small HTTP server `slawatch run` serves on `worker.http_listen`.
///
/// - `GET /metrics`: Prometheus text format, from `metrics` (the executable's registry);
/// - `GET /healthz`: 200 while the worker loop turns (it also turns while waiting on a slow
///   broker), 503 when it has not for 30 s;
/// - `GET /tickets/{id}`: how a ticket this instance holds had its deadlines worked out
///   (``SLACore/DeadlineExplanation`` as JSON), or 404 naming the partition that owns it;
/// - `GET /readyz`: 200 once the first assignment is restored and no partition is being
///   restored, 503 otherwise (starting, restoring, stopping); a second line says how far the
///   calendar covers (`detail`) — still 200 when it runs short, which the gauges and logs report.
///
/// No client can hurt the worker through it (``HTTPLimits``): connections are capped (the
/// oldest closed first), each must send a whole request within a timeout, headers and bodies
/// are bounded.
public enum HealthServer {
    /// The application, a swift-service-lifecycle `Service` to run in the daemon's group.
    public static func application(host: String, port: Int, status: ServiceStatus, logger: Logger,
                                   limits: HTTPLimits = HTTPLimits(descriptors: HTTPLimits.openFileLimit),
                                   detail: @escaping @Sendable () -> String = { "" },
                                   ticket: (@Sendable (String) -> (status: Int, body: String))? = nil,
                                   board: BoardFeed? = nil,
                                   metrics: @escaping @Sendable () -> [UInt8]) -> some ApplicationProtocol {
        let router = Router()
        if let ticket {
            router.get("tickets/:id") { _, context -> Response in
                // The id is the path segment, percent-decoded by the router; bounded as an event's is.
                guard let id = context.parameters.get("id"), !id.isEmpty, id.utf8.count <= EventLimits.subjectId else {
                    return json(.badRequest, #"{"error":"a ticket id of 1 to \#(EventLimits.subjectId) bytes"}"# + "\n")
                }
                let answer = ticket(id)
                return json(HTTPResponse.Status(code: answer.status), answer.body)
            }
        }
        if let board {
            // The ops board and its API (BoardPage, BoardAPI): the whole group's clocks.
            router.get("board") { request, _ -> Response in
                let params = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
                let query: BoardQuery
                do { query = try BoardQuery(params) } catch { return text(.badRequest, "\(error)\n") }
                let fragment = params.contains { $0.0 == "fragment" }
                let page = board.read { b, now, complete, _ in
                    BoardPage.render(b, query: query, now: now, complete: complete, calendar: board.calendar, fragment: fragment)
                }
                var headers = HTTPFields()
                headers[.contentType] = "text/html; charset=utf-8"
                headers[.cacheControl] = "no-store"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
            }
            router.get("api/clocks") { request, _ -> Response in
                let query: BoardQuery
                do { query = try BoardQuery(request.uri.queryParameters.map { (String($0.key), String($0.value)) }) } catch {
                    return json(.badRequest, "{\"error\":\(JSONText.quoted("\(error)"))}\n")
                }
                return json(.ok, board.read { b, now, complete, _ in
                    BoardAPI.clocks(b, query: query, now: now, complete: complete, calendar: board.calendar)
                })
            }
        }
        router.get("metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics())))
        }
        router.get("healthz") { _, _ -> Response in
            text(status.isAlive ? .ok : .serviceUnavailable, status.isAlive ? "alive\n" : "the worker loop has not turned for 30 s\n")
        }
        router.get("readyz") { _, _ -> Response in
            let ready = status.isReady
            let owned = status.partitions.count
            let more = detail()
            return text(ready ? .ok : .serviceUnavailable, (ready ? "ready: \(owned) partitions restored\n" : "not ready: starting, restoring or stopping\n")
                        + (more.isEmpty ? "" : more + "\n"))
        }
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes,
                                                                       maxHeaderFieldCount: limits.maxHeaderFields)
        return Application(router: router, server: .http1(configuration: .init(httpDecoderConfiguration: decoder)),
                           configuration: .init(address: .hostname(host, port: port), serverName: "slawatch"),
                           onServerRunning: { channel in
                               // First on the listening channel: it sees each accepted connection.
                               try? await channel.pipeline.addHandler(HTTPConnectionCap(limits: limits), position: .first)
                           }, logger: logger)
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
