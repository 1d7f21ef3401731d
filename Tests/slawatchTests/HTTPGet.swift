// A blocking HTTP GET for the endpoint tests.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

enum HTTPGet {
    /// Status and body, or nil when nothing answers.
    static func fetch(_ url: String) -> (status: Int, body: String)? {
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 5
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let r = response as? HTTPURLResponse { box.value = (r.statusCode, String(decoding: data ?? Data(), as: UTF8.self)) }
            done.signal()
        }.resume()
        done.wait()
        return box.value
    }

    private final class Box: @unchecked Sendable {
        // @unchecked: written before the semaphore is signalled, read after.
        var value: (Int, String)?
    }
}
