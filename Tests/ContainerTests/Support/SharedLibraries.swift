import Foundation
import TestSupport

/// The shared libraries a binary loads, as `ldd` lists them (its needs and theirs).
struct SharedLibraries {
    /// One library: its soname and where it was found (nil when `ldd` says "not found").
    struct Library: Hashable {
        let name: String
        let path: String?
    }

    let libraries: [Library]

    /// Reads `ldd`'s lines (`name => /path (0x…)`, `name => not found`, `/path (0x…)`); the
    /// kernel's vDSO, which is no file, is left out.
    init(lddOutput: String) {
        var libraries: [Library] = []
        for rawLine in lddOutput.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("linux-vdso") || line.hasPrefix("linux-gate") { continue }
            if let arrow = line.range(of: " => ") {
                let name = String(line[..<arrow.lowerBound])
                let rest = line[arrow.upperBound...]
                if rest.hasPrefix("not found") {
                    libraries.append(Library(name: name, path: nil))
                } else if let path = rest.split(separator: " ").first {
                    libraries.append(Library(name: name, path: String(path)))
                }
            } else if line.hasPrefix("/"), let path = line.split(separator: " ").first {
                libraries.append(Library(name: URL(fileURLWithPath: String(path)).lastPathComponent, path: String(path)))
            }
        }
        self.libraries = libraries
    }

    /// `ldd` of `binary`.
    static func of(_ binary: URL) async throws -> SharedLibraries {
        let result = try await ChildProcess.run("ldd", [binary.path])
        guard result.status == 0 else { throw ChildProcessError(description: "ldd \(binary.path) failed: \(result.errorOutput)") }
        return SharedLibraries(lddOutput: result.output)
    }

    /// Whether a library is part of the Swift runtime (the toolchain's `lib/swift/linux`), which
    /// a `--static-swift-stdlib` build links into the binary instead of loading.
    static func isSwiftRuntime(_ library: Library) -> Bool {
        guard let path = library.path else { return false }
        return path.contains("/lib/swift/linux/") || path.contains("/lib/swift_static/")
    }

    /// The libraries the runtime image must provide: everything but the Swift runtime.
    var systemLibraries: [Library] {
        libraries.filter { !Self.isSwiftRuntime($0) }
    }
}
