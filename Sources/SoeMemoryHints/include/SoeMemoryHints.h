// Hints to the processor's memory system that Swift has no words for.
#ifndef SOE_MEMORY_HINTS_H
#define SOE_MEMORY_HINTS_H

/// Asks for the cache line at `address` to be brought near the core for writing, without waiting
/// for it: a prefetch, which retires at once where a load would hold up every later instruction
/// until its cache miss is served. Only a hint: it changes no value, and an address that is not
/// mapped is ignored. Inlined into the Swift caller (one `prefetchw` or `prefetcht0`).
static inline __attribute__((always_inline)) void soe_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
