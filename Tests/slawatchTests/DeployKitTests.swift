import Foundation
import SLACore
import Testing

/// What CI can check of deploy/ without a Docker engine.
@Suite struct DeployKitTests {
    static let deploy = CLI.root.appendingPathComponent("deploy")

    static func yaml(_ name: String) throws -> YAMLNode {
        let path = deploy.appendingPathComponent(name).path
        return try YAMLNode.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    @Test func composeReferencesOnlyWhatExists() throws {
        let services = Dictionary(uniqueKeysWithValues: try Self.yaml("docker-compose.yml").mapping().first { $0.0 == "services" }!.1.mapping())
        #expect(Set(services.keys).isSuperset(of: ["kafka1", "kafka2", "kafka3", "topics", "slawatch-a", "slawatch-b", "postgres", "prometheus"]))
        var builtImages = Set<String>()
        for (_, s) in services {
            let fields = Dictionary(uniqueKeysWithValues: try s.mapping())
            if fields["build"] != nil, let image = fields["image"] { builtImages.insert(try image.string()) }
        }
        for (name, s) in services {
            let fields = Dictionary(uniqueKeysWithValues: try s.mapping())
            if let deps = fields["depends_on"] {
                let names = deps.isMapping ? try deps.mapping().map(\.0) : try deps.sequence().map { try $0.string() }
                for d in names { #expect(services[d] != nil, "\(name) depends on unknown service \(d)") }
            }
            for v in try fields["volumes"]?.sequence() ?? [] {
                let spec = try v.string()
                guard spec.hasPrefix("./") else { continue }
                let host = String(spec.split(separator: ":")[0])
                #expect(FileManager.default.fileExists(atPath: Self.deploy.appendingPathComponent(host).path), "\(name) mounts missing \(host)")
            }
            if let image = try fields["image"]?.string(), image.hasPrefix("slawatch") {
                #expect(builtImages.contains(image), "\(name) uses \(image), which no service builds")
            }
            if let build = fields["build"] {
                let b = Dictionary(uniqueKeysWithValues: try build.mapping())
                let dockerfile = try b["dockerfile"]!.string()
                #expect(FileManager.default.fileExists(atPath: CLI.root.appendingPathComponent(dockerfile).path))
            }
        }
        // Prometheus scrapes the instances on the port their configuration listens on.
        let prometheus = try String(contentsOfFile: Self.deploy.appendingPathComponent("compose/prometheus.yml").path, encoding: .utf8)
        #expect(prometheus.contains("slawatch-a:9464") && prometheus.contains("slawatch-b:9464"))
        let config = try String(contentsOfFile: Self.deploy.appendingPathComponent("compose/slawatch.yaml").path, encoding: .utf8)
        #expect(config.contains("http_listen: 0.0.0.0:9464"))
    }

    @Test func theDockerfileCopiesWhatTheRepositoryHas() throws {
        let text = try String(contentsOfFile: Self.deploy.appendingPathComponent("Dockerfile").path, encoding: .utf8)
        let copies = text.split(separator: "\n").filter { $0.hasPrefix("COPY ") && !$0.contains("--from") }
        #expect(copies.count >= 5)
        for line in copies {
            let source = String(line.split(separator: " ")[1])
            #expect(FileManager.default.fileExists(atPath: CLI.root.appendingPathComponent(source).path), "COPY \(source)")
        }
        #expect(text.contains("FROM swift:6.3") && text.contains("librdkafka1"))
    }

    @Test(arguments: ["deploy/slawatch.yaml", "deploy/compose/slawatch.yaml", "deploy/slawatch-sasl.yaml"])
    func everyShippedConfigurationPassesCheckConfig(_ file: String) throws {
        // The SASL example takes its password from a systemd credential.
        let credentials = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID())")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        try "not-a-real-password\n".write(to: credentials.appendingPathComponent("sasl-password"), atomically: true, encoding: .utf8)
        // check-config makes the clients as run does, so the CA file the example names must
        // exist: the system's bundle stands in for /etc/slawatch/ca.pem.
        let r = try CLI.run(["check-config", file], environment: ["CREDENTIALS_DIRECTORY": credentials.path,
                                                                 "SLAWATCH_KAFKA_SSL_CA_LOCATION": "/etc/ssl/certs/ca-certificates.crt"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("not-a-real-password"))
    }
}
