/// LLVM's prefetch instruction, which Swift has no word for: `readOrWrite` 0 reads, `locality` 3
/// keeps the line in every level of cache, `cacheType` 1 is data.
///
/// Named here rather than through a C function around `__builtin_prefetch` (how this was first
/// written): LLVM left such a function a call, five instructions around the one that matters, in
/// every function that inlines the whole tokenizer, which is larger than its inliner takes on.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ readOrWrite: Int32, _ locality: Int32, _ cacheType: Int32)

/// Asks the memory for the cache line at `address`, for reading: the n-gram model's lookups are
/// random reads far apart in a table much larger than the caches, and telling the memory of
/// the next ones while one waits overlaps the misses.
@inline(__always)
func prefetchForReading(_ address: UnsafeRawPointer) {
    llvmPrefetch(address, 0, 3, 1)
}
