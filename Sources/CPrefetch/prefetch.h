#ifndef CPREFETCH_PREFETCH_H
#define CPREFETCH_PREFETCH_H

// A hint to bring the cache line at `address` in for reading, which Swift has no way to say:
// the n-gram model's weight-table lookups are random reads far apart in a table much larger
// than the caches, and telling the memory of the next ones while one waits overlaps the misses.
static inline __attribute__((always_inline)) void cprefetch_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
