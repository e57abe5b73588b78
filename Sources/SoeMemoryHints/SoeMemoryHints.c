// The prefetch is an inline function in include/SoeMemoryHints.h; the writeback hint, the blocks'
// reservation and the processors' count need `_GNU_SOURCE`, defined here before any header, so
// that no Swift module sees it.
#define _GNU_SOURCE
#include "SoeMemoryHints.h"

#ifdef __linux__
#include <fcntl.h>
#include <sched.h>
#endif
#include <unistd.h>

int soe_start_writeback(int fd, long long offset, long long count) {
#ifdef __linux__
    return sync_file_range(fd, (off_t)offset, (off_t)count, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
    (void)offset;
    (void)count;
    return 0;
#endif
}

int soe_reserve_blocks(int fd, long long offset, long long count) {
#ifdef __linux__
    return fallocate(fd, FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)count);
#else
    (void)fd;
    (void)offset;
    (void)count;
    return -1;
#endif
}

int soe_available_processors(void) {
#ifdef __linux__
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        return CPU_COUNT(&set);
    }
#endif
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)online : 1;
}
