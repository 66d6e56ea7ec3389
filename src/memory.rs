//! Allocator settings for long runs (a batch, the workbench): glibc's
//! malloc gives large blocks back to the system as soon as they are freed,
//! and each document of a batch then asks for them again, page by page —
//! the page faults were 8 % of a 600-plan batch (perf, issue 20). A long run
//! keeps them instead; memory stays flat because each document reuses what
//! the last one freed. One-document runs keep glibc's defaults, which give
//! the lowest peak.
//!
//! (mimalloc was measured too: a batch ran 5–10 % faster, but one
//! `render` needed 119 ms and 134 MiB, or 170 ms with its memory-saving
//! options, against glibc's 128 ms and 84 MiB — so glibc stays.)

/// Keeps freed memory for the next document; call at the start of a long
/// run (a batch, the workbench), before the worker threads start.
pub fn keep_freed_memory() {
    // Blocks up to 32 MiB (the most glibc allows) come from the heap, not
    // from mmap; up to 512 MiB free at its top stays mapped; the heap grows
    // 64 MiB at a time. Return values are ignored: a refused setting only
    // means the default stays.
    // SAFETY: mallopt only changes malloc's parameters; called before the
    // worker threads start.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 512 << 20);
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}
