import Foundation
import TestSupport

/// What this Debian machine's package database says: which package owns a file, what depends on
/// what, and which packages make up a minimal base (`debian:bookworm-slim`, like
/// `debootstrap --variant=minbase`, holds the `Essential: yes` and `Priority: required` ones).
///
/// Only the dpkg status database is read (no apt lists), so it works on a machine whose
/// `/var/lib/apt/lists` was emptied, as in most container images.
struct DebianPackages {
    /// An installed package's relations.
    struct Installed {
        let name: String
        let isBase: Bool
        /// Every alternative of every `Depends` and `Pre-Depends` entry, by package name.
        let dependencies: [String]
        let provides: [String]
    }

    let installed: [String: Installed]
    /// Virtual package name → the installed packages that provide it.
    let providers: [String: [String]]

    /// Reads the dpkg status database with `dpkg-query`.
    static func load() async throws -> DebianPackages {
        let format = "${Package}\t${db:Status-Abbrev}\t${Essential}\t${Priority}\t${Provides}\t${Pre-Depends}, ${Depends}\n"
        let result = try await ChildProcess.run("dpkg-query", ["-W", "-f", format])
        guard result.status == 0 else { throw ChildProcessError(description: "dpkg-query failed: \(result.errorOutput)") }
        var installed: [String: Installed] = [:]
        var providers: [String: [String]] = [:]
        for line in result.output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, fields[1].hasPrefix("ii") else { continue }
            let package = Installed(
                name: fields[0],
                isBase: fields[2] == "yes" || fields[3] == "required",
                dependencies: relationNames(fields[5]),
                provides: relationNames(fields[4]))
            installed[package.name] = package
            for virtual in package.provides { providers[virtual, default: []].append(package.name) }
        }
        return DebianPackages(installed: installed, providers: providers)
    }

    /// The package names of a relation field (`a (>= 1) | b:any, c`): every alternative counts.
    static func relationNames(_ field: String) -> [String] {
        field.split(separator: ",").flatMap { entry in
            entry.split(separator: "|").compactMap { alternative -> String? in
                guard let word = alternative.split(whereSeparator: { $0 == " " || $0 == "(" }).first else { return nil }
                return String(word.split(separator: ":").first ?? word)
            }
        }
    }

    /// The packages `roots` bring in: themselves and, recursively, what they depend on (every
    /// alternative that is installed here, and the installed providers of virtual packages).
    func closure(of roots: [String]) -> Set<String> {
        var found: Set<String> = []
        var queue = roots
        while let name = queue.popLast() {
            let candidates = installed[name] != nil ? [name] : providers[name] ?? []
            for candidate in candidates where found.insert(candidate).inserted {
                queue += installed[candidate]?.dependencies ?? []
            }
        }
        return found
    }

    /// The minimal base system (Essential and Priority required packages) with its dependencies.
    var baseSet: Set<String> {
        closure(of: installed.values.filter(\.isBase).map(\.name))
    }

    /// The package that owns a shared library found at `path`, asking `dpkg -S` for the path,
    /// its symlink target, and its other spelling under Debian's merged `/usr`.
    static func owner(ofLibrary path: String) async throws -> String? {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var candidates: [String] = []
        for candidate in [path, resolved] {
            candidates.append(candidate)
            if candidate.hasPrefix("/usr/") {
                candidates.append(String(candidate.dropFirst(4)))
            } else {
                candidates.append("/usr" + candidate)
            }
        }
        for candidate in candidates {
            let result = try await ChildProcess.run("dpkg", ["-S", candidate])
            guard result.status == 0 else { continue }
            for line in result.output.split(separator: "\n") where !line.hasPrefix("diversion") {
                guard let colonSpace = line.range(of: ": ") else { continue }
                let packages = line[..<colonSpace.lowerBound]
                // "pkg:amd64" (or "a, b" for a path shared by several): the first package's name.
                let first = packages.split(separator: ",").first ?? packages
                return String(first.split(separator: ":").first ?? first).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
