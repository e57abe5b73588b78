import SoeLanguage

// A container's processors are limited two ways: a CPU set (its affinity mask, which
// `soe_available_processors` counts) and a CPU quota, the time its control group may use in each
// period (`docker run --cpus 1`, a Kubernetes CPU limit), which leaves every processor in the mask.
// A process limited to one processor's time by its quota still sees all of them; a second thread
// there only takes turns with the first. `CPUQuota` reads the quota as Linux exposes it, so that
// `ReadAhead.spareProcessor` counts the processors the process may use at once, not those it may
// run on. It is read once, when a batch's reading first asks (never for one firm).

/// The CPU time this process's control groups allow it, in processors, rounded up: for a quota of
/// 150,000 µs in every period of 100,000 µs, 2. Nil where no group sets a quota (`max`, or -1) or
/// none can be read: then the affinity mask alone counts.
enum CPUQuota {
    /// The quota of this process (Linux; nil elsewhere): the smallest of the quotas set on its
    /// control group and on each group above it (a parent's quota holds for its children), read
    /// from cgroup v2's `cpu.max` and cgroup v1's `cpu.cfs_quota_us` and `cpu.cfs_period_us` under
    /// `root` + `/sys/fs/cgroup` (`root` for tests: a folder laid out as the system's).
    static func processors(root: String = "") -> Int? {
        #if os(Linux)
            guard case .success(let bytes) = FileSystem.read(root + "/proc/self/cgroup", limit: 1 << 16) else { return nil }
            let groups = Self.groups(String(decoding: bytes, as: UTF8.self))
            var least: Int?
            func take(_ found: Int?) {
                if let found { least = least.map { min($0, found) } ?? found }
            }
            if let path = groups.unified {
                for folder in Self.folders(root + "/sys/fs/cgroup", path) {
                    take(text(folder + "/cpu.max").flatMap(Self.unified))
                }
            }
            if let path = groups.cpu {
                for mount in ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"] {
                    for folder in Self.folders(root + mount, path) {
                        guard let quota = text(folder + "/cpu.cfs_quota_us"), let period = text(folder + "/cpu.cfs_period_us")
                        else { continue }
                        take(Self.legacy(quota: quota, period: period))
                    }
                }
            }
            return least
        #else
            return nil
        #endif
    }

    /// The control group paths of `/proc/self/cgroup`: cgroup v2's (the line `0::PATH`) and the
    /// path of the v1 hierarchy whose controllers include `cpu` (`N:cpu,cpuacct:PATH`).
    static func groups(_ text: String) -> (unified: String?, cpu: String?) {
        var unified: String?
        var cpu: String?
        for line in text.split(separator: "\n") {
            // Hierarchy ID, controllers, path; the path itself may hold a colon.
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2].hasPrefix("/") else { continue }
            if parts[0] == "0" && parts[1].isEmpty {
                unified = String(parts[2])
            } else if parts[1].split(separator: ",").contains("cpu") {
                cpu = String(parts[2])
            }
        }
        return (unified, cpu)
    }

    /// The folders from the group's own under `mount` up to `mount` itself, deepest first. A
    /// process in a container sees its own group as the mount's root while `/proc/self/cgroup`
    /// may name the host's path; the walk up reaches the mount's root either way, and a folder
    /// that does not exist is simply not read.
    static func folders(_ mount: String, _ path: String) -> [String] {
        var folders: [String] = []
        var parts = path.split(separator: "/").filter { $0 != "." && $0 != ".." }
        while !parts.isEmpty {
            folders.append(mount + "/" + parts.joined(separator: "/"))
            parts.removeLast()
        }
        folders.append(mount)
        return folders
    }

    /// cgroup v2's `cpu.max`: `QUOTA PERIOD` in microseconds, or `max PERIOD` for no quota.
    static func unified(_ text: String) -> Int? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, fields[0] != "max" else { return nil }
        return processors(quota: Int(fields[0]), period: Int(fields[1]))
    }

    /// cgroup v1's `cpu.cfs_quota_us` (-1 for no quota) and `cpu.cfs_period_us`, a number each.
    static func legacy(quota: String, period: String) -> Int? {
        let (quota, period) = (quota.split(whereSeparator: \.isWhitespace), period.split(whereSeparator: \.isWhitespace))
        guard quota.count == 1, period.count == 1 else { return nil }
        return processors(quota: Int(quota[0]), period: Int(period[0]))
    }

    /// `quota / period` rounded up, at least 1; nil for no quota, a period of 0 or text that is not
    /// a number.
    static func processors(quota: Int?, period: Int?) -> Int? {
        guard let quota, let period, quota > 0, period > 0 else { return nil }
        let (whole, rest) = quota.quotientAndRemainder(dividingBy: period)
        return max(1, whole + (rest > 0 ? 1 : 0))
    }

    /// A small file's text, nil when it cannot be read.
    private static func text(_ path: String) -> String? {
        guard case .success(let bytes) = FileSystem.read(path, limit: 1 << 12) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
