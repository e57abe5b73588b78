// Hints to the processor's memory system and the kernel's page cache that Swift has no words for.
#ifndef SOE_MEMORY_HINTS_H
#define SOE_MEMORY_HINTS_H

/// Asks for the cache line at `address` to be brought near the core for writing, without waiting
/// for it: a prefetch, which retires at once where a load would hold up every later instruction
/// until its cache miss is served. Only a hint: it changes no value, and an address that is not
/// mapped is ignored. Inlined into the Swift caller (one `prefetchw` or `prefetcht0`).
static inline __attribute__((always_inline)) void soe_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Asks the kernel to start writing the file's bytes from `offset` to `offset + count` to disk,
/// without waiting for them (Linux: `sync_file_range` with `SYNC_FILE_RANGE_WRITE`, which the C
/// library declares only for `_GNU_SOURCE`, so that Swift's module of it lacks it); elsewhere it
/// does nothing and returns 0. Returns the call's result: 0, or -1 with `errno` set. Only a hint as
/// well: a caller's `fsync` still writes and checks everything.
int soe_start_writeback(int fd, long long offset, long long count);

/// Reserves the file's blocks from `offset` to `offset + count` without changing its size (Linux:
/// `fallocate` with `FALLOC_FL_KEEP_SIZE`, declared only for `_GNU_SOURCE`), so that writes there
/// find their blocks allocated; elsewhere it does nothing and returns -1. Returns 0, or -1 with
/// `errno` set (a file system without it says `EOPNOTSUPP`). Truncating the file to its size
/// releases what was reserved past it.
int soe_reserve_blocks(int fd, long long offset, long long count);

/// The processors this process may run on: the count of its affinity mask on Linux (which `taskset`
/// and a container's CPU set limit; `sched_getaffinity`, declared only for `_GNU_SOURCE`), else the
/// processors online; at least 1.
int soe_available_processors(void);

#endif
