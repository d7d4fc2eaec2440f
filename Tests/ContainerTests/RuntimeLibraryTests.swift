import Foundation
import Testing
import TestSupport

/// The runtime stage's packages provide every shared library the binary loads.
///
/// The binary checked is the debug build beside the test bundle: a release build inside
/// `swift test` would take too long. Its needs are the release `--static-swift-stdlib` build's
/// plus the Swift runtime (`libswiftCore.so`, `libFoundation*.so`, `libdispatch.so`… from the
/// toolchain), which the static build links in and which are therefore left out here; the C
/// libraries (librdkafka and its own needs, libstdc++, libgcc_s, libz, libc, libm) are the same,
/// because the same Swift modules and C targets are linked. scripts/check-image-root checks the
/// release binary itself in a bare bookworm root.
@Suite struct RuntimeLibraryTests {
    /// The packages the Dockerfile's runtime stage installs, read from the Dockerfile itself.
    static func runtimePackages() async throws -> [String] {
        let dockerfile = try await DockerfileModel.load()
        let runtime = try #require(dockerfile.stages.last)
        return try await DockerfileModel.aptPackages(in: runtime)
    }

    /// The libraries the image lacks when `packages` are installed on a bookworm-slim base.
    static func unmetLibraries(
        _ libraries: [SharedLibraries.Library], packages: [String], database: DebianPackages
    ) async throws -> [String] {
        let available = database.closure(of: packages).union(database.baseSet)
        var unmet: [String] = []
        for library in libraries {
            guard let path = library.path else {
                unmet.append("\(library.name) (not found by ldd here)")
                continue
            }
            guard let owner = try await DebianPackages.owner(ofLibrary: path) else {
                unmet.append("\(library.name) at \(path) (no Debian package owns it)")
                continue
            }
            if !available.contains(owner) { unmet.append("\(library.name) (package \(owner))") }
        }
        return unmet
    }

    @Test func theRuntimePackagesProvideEveryLibraryTheBinaryLoads() async throws {
        let packages = try await Self.runtimePackages()
        #expect(packages.contains("librdkafka1"))
        let needs = try await SharedLibraries.of(ChildProcess.builtBridgeBinary)
        #expect(needs.libraries.contains { $0.name.hasPrefix("librdkafka.so") }, "ldd lists librdkafka")
        let system = needs.systemLibraries
        #expect(!system.isEmpty)
        let database = try await DebianPackages.load()
        let unmet = try await Self.unmetLibraries(system, packages: packages, database: database)
        #expect(unmet.isEmpty, "docker/Dockerfile's runtime stage (\(packages)) lacks: \(unmet)")
    }

    @Test func withoutLibrdkafkaTheCheckFails() async throws {
        // The same check with librdkafka1 taken out of the list must miss librdkafka.so.1: the
        // base image does not bring it, so the check above is not vacuous.
        let packages = try await Self.runtimePackages().filter { $0 != "librdkafka1" }
        let needs = try await SharedLibraries.of(ChildProcess.builtBridgeBinary)
        let database = try await DebianPackages.load()
        let unmet = try await Self.unmetLibraries(needs.systemLibraries, packages: packages, database: database)
        #expect(unmet.contains { $0.hasPrefix("librdkafka.so.1") })
    }

    @Test func theBaseSetIsAMinimalDebian() async throws {
        let base = try await DebianPackages.load().baseSet
        // What debootstrap's minbase (and so debian:bookworm-slim) always holds…
        for package in ["libc6", "bash", "coreutils", "dpkg", "zlib1g"] {
            #expect(base.contains(package), "\(package) is in a minimal Debian")
        }
        // …and what it does not, so a package list that forgets them fails.
        for package in ["librdkafka1", "ca-certificates", "curl"] {
            #expect(!base.contains(package), "\(package) is not in a minimal Debian")
        }
    }

    @Test func relationFieldsGiveEveryAlternative() {
        #expect(
            DebianPackages.relationNames("libc6 (>= 2.34), libssl3 (>= 3.0.0) | libssl1.1, perl:any, ") ==
                ["libc6", "libssl3", "libssl1.1", "perl"])
    }

    @Test func lddLinesAreRead() {
        let libraries = SharedLibraries(lddOutput: """
            \tlinux-vdso.so.1 (0x00007ffd)
            \tlibrdkafka.so.1 => /lib/x86_64-linux-gnu/librdkafka.so.1 (0x00007fc1)
            \tlibswiftCore.so => /opt/swift/usr/lib/swift/linux/libswiftCore.so (0x00007fc2)
            \tlibmissing.so.2 => not found
            \t/lib64/ld-linux-x86-64.so.2 (0x00007fc3)
            """).libraries
        #expect(libraries.map(\.name) == ["librdkafka.so.1", "libswiftCore.so", "libmissing.so.2", "ld-linux-x86-64.so.2"])
        #expect(libraries[2].path == nil)
        #expect(SharedLibraries.isSwiftRuntime(libraries[1]))
        #expect(!SharedLibraries.isSwiftRuntime(libraries[0]))
    }
}
