import Foundation
import Testing

/// docker/Dockerfile and .dockerignore hold what the issue asks of the image.
@Suite struct DockerfileTests {
    @Test func aSwiftBookwormBuilderMakesAStaticStdlibReleaseBinary() async throws {
        let dockerfile = try await DockerfileModel.load()
        #expect(dockerfile.stages.count == 2)
        let builder = try #require(dockerfile.stages.first)
        #expect(builder.baseImage.hasPrefix("swift:") && builder.baseImage.hasSuffix("-bookworm"), "\(builder.baseImage)")
        let build = try await DockerfileModel.runCommands(in: builder)
            .first { $0.program == "swift" && $0.arguments.first == "build" && $0.arguments.contains("--product") }
        let arguments = try #require(build?.arguments, "a RUN builds the product")
        #expect(arguments.contains("--static-swift-stdlib"))
        #expect(arguments.firstIndex(of: "-c").map { arguments[$0 + 1] } == "release")
        #expect(try await DockerfileModel.aptPackages(in: builder).contains("librdkafka-dev"))
    }

    @Test func theRuntimeIsBookwormSlimRunningTheBridgeAsANonRootUser() async throws {
        let dockerfile = try await DockerfileModel.load()
        let runtime = try #require(dockerfile.stages.last)
        #expect(runtime.baseImage == "debian:bookworm-slim")
        let user = try #require(runtime.arguments(of: "USER").last)
        let uid = try #require(Int(user.split(separator: ":").first ?? ""), "USER is numeric: \(user)")
        #expect(uid != 0)
        let useradd = try await DockerfileModel.runCommands(in: runtime).first { $0.program == "useradd" }
        let useraddArguments = try #require(useradd?.arguments, "a RUN adds the user")
        #expect(useraddArguments.firstIndex(of: "--uid").map { useraddArguments[$0 + 1] } == String(uid))
        #expect(runtime.arguments(of: "COPY").contains { $0.hasPrefix("--from=builder") && $0.hasSuffix("/usr/local/bin/kafka-api-bridge") })
        #expect(DockerfileModel.execForm(try #require(runtime.arguments(of: "ENTRYPOINT").last)) == ["kafka-api-bridge"])
        #expect(DockerfileModel.execForm(try #require(runtime.arguments(of: "CMD").last)) == ["run"])
        let packages = try await DockerfileModel.aptPackages(in: runtime)
        #expect(packages.contains("librdkafka1") && packages.contains("ca-certificates"))
        #expect(!packages.contains { $0.hasSuffix("-dev") }, "no build packages at run time")
    }

    @Test func settingsComeOnlyFromTheEnvironmentAtRunTime() async throws {
        // An ENV NAME in the image would clash with a NAME_FILE given at run time.
        let runtime = try #require(try await DockerfileModel.load().stages.last)
        #expect(runtime.arguments(of: "ENV").isEmpty)
        #expect(runtime.arguments(of: "COPY").allSatisfy { !$0.contains(".yaml") && !$0.contains("secrets") })
    }

    @Test func theHealthcheckAsksHealthz() async throws {
        let runtime = try #require(try await DockerfileModel.load().stages.last)
        let healthcheck = try #require(runtime.arguments(of: "HEALTHCHECK").last)
        let command = try #require(DockerfileModel.healthcheckCommand(healthcheck))
        #expect(command.first == "bash")
        #expect(command.joined(separator: " ").contains("/healthz"))
    }

    @Test func dockerignoreKeepsBuildOutputOut() throws {
        let patterns = try PackageRoot.text(".dockerignore").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        for directory in [".build", ".build-release", ".build-static", ".build_x"] {
            #expect(patterns.contains { Self.matches($0, directory) }, "\(directory) is ignored")
        }
        #expect(patterns.contains(".git"))
        #expect(patterns.contains("docker/secrets"))
    }

    /// A top-level .dockerignore pattern with at most a trailing `*` (all this file uses).
    static func matches(_ pattern: String, _ name: String) -> Bool {
        pattern.hasSuffix("*") ? name.hasPrefix(pattern.dropLast()) : pattern == name
    }
}
