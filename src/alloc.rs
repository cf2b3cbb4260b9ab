//! The global allocator: mimalloc, asked for plain blocks whenever Rust's alignment allows.
//!
//! The `mimalloc` crate's allocator calls `mi_malloc_aligned` for every allocation; for the
//! alignments Rust nearly always asks (1 to 8) that costs about 80 instructions a call
//! against about 20 for `mi_malloc`, and a file's lint makes some 700 allocations (measured
//! with callgrind: 4% of a batch's instructions). Every mimalloc block is at least
//! word-aligned (block sizes are multiples of 8), so up to 8 the plain calls suffice; larger
//! alignments keep the aligned calls.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every mimalloc block has: its size classes are multiples of a word.
const WORD: usize = std::mem::size_of::<usize>();

pub struct Mimalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (mimalloc.h, v2), which `libmimalloc-sys`
/// exports only with its `extended` feature (and a dependency more); a test checks the index
/// against the option's default.
const OPTION_PURGE_DELAY: i32 = 15;

unsafe extern "C" {
    fn mi_option_set(option: i32, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: i32) -> std::ffi::c_long;
}

/// Keeps freed memory for reuse instead of returning it to the system: for a run that lives
/// milliseconds, returning it is only system calls, several of them at exit (seven `madvise`
/// calls on the 500-file batch, about 0.2 ms of its wall time). The language server, which
/// lives long, keeps mimalloc's default.
pub fn keep_freed_memory() {
    // SAFETY: sets a mimalloc option by its index in mimalloc's own enumeration.
    unsafe { mi_option_set(OPTION_PURGE_DELAY, -1) }
}

// SAFETY: each method forwards to mimalloc, which returns null or a block of at least the
// size asked for, aligned as asked (the plain calls only for alignments up to `WORD`, which
// every block meets); `dealloc` and `realloc` receive blocks that these calls returned.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's contract).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout`'s alignment (the caller's
        // contract), which the new block keeps.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// The option index is mimalloc's purge delay: its default is 10 ms.
    #[test]
    fn purge_delay_option_index() {
        // SAFETY: reads a mimalloc option by index.
        assert_eq!(
            unsafe { super::mi_option_get(super::OPTION_PURGE_DELAY) },
            10
        );
    }

    /// Blocks of every small size and alignment come back aligned as asked, keep their bytes
    /// through growing and shrinking, and zeroed ones are zero: the global allocator of this
    /// test binary is [`super::Mimalloc`].
    #[test]
    fn blocks_are_aligned_zeroed_and_kept() {
        use std::alloc::{Layout, alloc, alloc_zeroed, dealloc, realloc};
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=300).chain([1000, 4096, 70_000, 1 << 20]) {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: the layouts have a nonzero size; every block is freed with its
                // layout, after the bytes written were read back.
                unsafe {
                    let p = alloc(layout);
                    assert!(
                        !p.is_null() && (p as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    for i in 0..size {
                        *p.add(i) = i as u8;
                    }
                    let q = realloc(p, layout, size * 3);
                    assert!(
                        !q.is_null() && (q as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    for i in 0..size {
                        assert_eq!(*q.add(i), i as u8);
                    }
                    let r = realloc(q, Layout::from_size_align(size * 3, align).unwrap(), size);
                    assert!(
                        !r.is_null() && (r as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    assert_eq!(*r.add(size - 1), (size - 1) as u8);
                    dealloc(r, layout);
                    let z = alloc_zeroed(layout);
                    assert!(
                        !z.is_null() && (z as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    dealloc(z, layout);
                }
            }
        }
    }
}
