import Foundation
import Testing

@testable import SoeEngine

/// `CPUQuota`: the processors a control group's CPU quota allows, which `ReadAhead.spareProcessor`
/// counts with the affinity mask, so that a batch in a container limited to one processor's time
/// (`docker run --cpus 1`, a Kubernetes CPU limit) does not start a reading thread that would only
/// take turns with the evaluating one.
@Suite("CPU quota: a container's limit on processor time, as Linux's control groups set it")
struct CPUQuotaTests {
    @Test("cgroup v2's cpu.max: the quota over the period, rounded up; max, zero and text that is not a number are no quota")
    func unified() {
        #expect(CPUQuota.unified("max 100000\n") == nil)
        #expect(CPUQuota.unified("100000 100000\n") == 1)
        #expect(CPUQuota.unified("50000 100000") == 1)
        #expect(CPUQuota.unified("150000 100000\n") == 2)
        #expect(CPUQuota.unified("200000 100000") == 2)
        #expect(CPUQuota.unified("200001 100000") == 3)
        #expect(CPUQuota.unified("1000 1000000") == 1)
        #expect(CPUQuota.unified("0 100000") == nil)
        #expect(CPUQuota.unified("100000 0") == nil)
        #expect(CPUQuota.unified("100000") == nil)
        #expect(CPUQuota.unified("") == nil)
        #expect(CPUQuota.unified("lots 100000") == nil)
        #expect(CPUQuota.unified("100000 100000 7") == nil)
    }

    @Test("cgroup v1's cpu.cfs_quota_us over cpu.cfs_period_us; -1 is no quota")
    func legacy() {
        #expect(CPUQuota.legacy(quota: "-1\n", period: "100000\n") == nil)
        #expect(CPUQuota.legacy(quota: "100000\n", period: "100000\n") == 1)
        #expect(CPUQuota.legacy(quota: "250000", period: "100000") == 3)
        #expect(CPUQuota.legacy(quota: " 50000 ", period: "100000") == 1)
        #expect(CPUQuota.legacy(quota: "x", period: "100000") == nil)
        #expect(CPUQuota.legacy(quota: "100000", period: "") == nil)
    }

    @Test("/proc/self/cgroup: the v2 path and the path of the v1 hierarchy that holds the cpu controller")
    func groups() {
        let unifiedOnly = CPUQuota.groups("0::/user.slice/user-1000.slice/session-2.scope\n")
        #expect(unifiedOnly.unified == "/user.slice/user-1000.slice/session-2.scope" && unifiedOnly.cpu == nil)
        let legacy = CPUQuota.groups("12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n")
        #expect(legacy.unified == nil && legacy.cpu == "/docker/abc")
        // This machine's kind: v1 with cpu on its own, and an empty v2 hierarchy beside it.
        let hybrid = CPUQuota.groups("2:cpuacct:/\n1:cpu:/a\n0::/\n")
        #expect(hybrid.unified == "/" && hybrid.cpu == "/a")
        // A path may hold a colon; a line that is not three fields, or whose path is not absolute, is passed over.
        let odd = CPUQuota.groups("0::/odd:name\ngarbage\n3:cpu:relative\n")
        #expect(odd.unified == "/odd:name" && odd.cpu == nil)
        #expect(CPUQuota.groups("").unified == nil)
    }

    @Test("the folders read: the group's own, then each above it, up to the mount's root")
    func folders() {
        #expect(CPUQuota.folders("/m", "/a/b") == ["/m/a/b", "/m/a", "/m"])
        #expect(CPUQuota.folders("/m", "/") == ["/m"])
        #expect(CPUQuota.folders("/m", "/a/../b") == ["/m/a/b", "/m/a", "/m"])
    }

    @Test("a folder laid out as the system's: the least quota of the group and the groups above it, v2 and v1 alike")
    func tree() throws {
        try withTree([
            "proc/self/cgroup": "0::/kubepods/pod1/c1\n",
            "sys/fs/cgroup/kubepods/cpu.max": "400000 100000\n",
            "sys/fs/cgroup/kubepods/pod1/cpu.max": "150000 100000\n",
            "sys/fs/cgroup/kubepods/pod1/c1/cpu.max": "max 100000\n",
        ]) { #expect(CPUQuota.processors(root: $0) == 2) }
        // A container in its own cgroup namespace: "/" names the mount's root, the container's group.
        try withTree(["proc/self/cgroup": "0::/\n", "sys/fs/cgroup/cpu.max": "100000 100000\n"]) {
            #expect(CPUQuota.processors(root: $0) == 1)
        }
        // cgroup v1 in a container: the host's path is not under the mount, whose root is the container's group.
        try withTree([
            "proc/self/cgroup": "5:cpu,cpuacct:/docker/abc\n",
            "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "50000\n",
            "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000\n",
        ]) { #expect(CPUQuota.processors(root: $0) == 1) }
        // No quota anywhere, or nothing to read: none.
        try withTree([
            "proc/self/cgroup": "1:cpu:/\n0::/\n",
            "sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1\n",
            "sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
        ]) { #expect(CPUQuota.processors(root: $0) == nil) }
        try withTree([:]) { #expect(CPUQuota.processors(root: $0) == nil) }
    }

    @Test("the processors a batch may use at once: its affinity, no more than its quota")
    func usable() {
        #expect(ReadAhead.usableProcessors(affinity: 8, quota: nil) == 8)
        #expect(ReadAhead.usableProcessors(affinity: 8, quota: 1) == 1)
        #expect(ReadAhead.usableProcessors(affinity: 2, quota: 4) == 2)
        #expect(!ReadAhead.worthAThread(processors: ReadAhead.usableProcessors(affinity: 2, quota: 1)))
        // This process: the reading thread is started exactly where both leave a second processor.
        let usable = ReadAhead.usableProcessors(affinity: ReadAhead.availableProcessors(), quota: CPUQuota.processors())
        #expect(ReadAhead.spareProcessor == (usable > 1))
    }

    /// Makes `files` (paths relative to a new folder) and runs `body` with the folder's path.
    private func withTree(_ files: [String: String], _ body: (String) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("soe-cgroup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: false, encoding: .utf8)
        }
        try body(root)
    }
}
