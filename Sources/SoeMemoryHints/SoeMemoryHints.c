// The prefetch is an inline function in include/SoeMemoryHints.h; the writeback hint needs
// `_GNU_SOURCE`, defined here before any header, so that no Swift module sees it.
#define _GNU_SOURCE
#include "SoeMemoryHints.h"

#ifdef __linux__
#include <fcntl.h>
#endif

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
