//! The files' parts of a report, kept by the workers until the report is written.
//!
//! A batch's report is kept whole until every file is linted (a template can replace the plain
//! report of a file it names, so nothing is written early): 7.8 MB of JSON for the 500-file
//! benchmark. One allocation per part put each on fresh memory, and the kernel's first touch of
//! a fresh page costs about 1.25 µs on the 2-core VMs here: 1,900 page faults, a tenth of the
//! batch's CPU. The parts are instead copied into a few large chunks, whose pages a big batch
//! asks the kernel to back with 2 MiB pages (one fault and one clear each, about 0.15 µs per
//! 4 KiB here). The buffer a part is rendered into is freed at once and reused by the next
//! file.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Bytes per chunk; a larger part gets a chunk of its own.
const CHUNK: usize = 4 << 20;

/// Where one part lies: a thread's [`Parts`], a chunk of it and a range in that.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    slot: usize,
    chunk: usize,
    range: Range<usize>,
}

/// One [`Parts`] per thread, so that workers never share a chunk (nor a lock: each locks only
/// its own) and a batch fills a few chunks, not one per run of files.
pub struct Shelves {
    slots: Vec<Mutex<Parts>>,
    huge: AtomicBool,
}

impl Shelves {
    /// Shelves for `threads` threads, numbered from 0.
    pub fn new(threads: usize) -> Shelves {
        Shelves {
            slots: (0..threads.max(1))
                .map(|_| Mutex::new(Parts::default()))
                .collect(),
            huge: AtomicBool::new(false),
        }
    }

    /// Whether chunks made from now on ask for 2 MiB pages: worth it only when a batch fills
    /// megabytes (the kernel clears a whole 2 MiB page on its first touch, about 75 µs here).
    pub fn set_huge(&self, huge: bool) {
        self.huge.store(huge, Ordering::Relaxed);
    }

    /// Copies a part in, on thread `slot`'s shelf (the last one for a number past them).
    pub fn push(&self, slot: usize, bytes: &[u8]) -> Place {
        let slot = slot.min(self.slots.len() - 1);
        // A poisoned lock only means another part's copy panicked: the chunks stay sound.
        let mut parts = self.slots[slot]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (chunk, range) = parts.push(bytes, self.huge.load(Ordering::Relaxed));
        Place { slot, chunk, range }
    }

    /// The shelves, done with: their parts read by place.
    pub fn into_parts(self) -> Vec<Parts> {
        self.slots
            .into_iter()
            .map(|m| {
                m.into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            })
            .collect()
    }
}

/// A part's bytes; empty for a place of other shelves.
pub fn get<'a>(shelves: &'a [Parts], place: &Place) -> &'a [u8] {
    shelves
        .get(place.slot)
        .and_then(|p| p.chunks.get(place.chunk))
        .and_then(|c| c.bytes().get(place.range.clone()))
        .unwrap_or_default()
}

/// A chunk: one allocation, filled from its start. For a big batch it is aligned to 2 MiB and
/// the kernel is asked for huge pages. A `Vec<u8>` cannot be: its allocation is aligned to one
/// byte, so up to 2 MiB at its start would stay in small pages, and zeroing it to write at an
/// aligned offset would touch them all. Hence the few lines of `unsafe` here, every access
/// bounds-checked against `len` and `cap`.
struct Chunk {
    ptr: std::ptr::NonNull<u8>,
    layout: std::alloc::Layout,
    /// Bytes written, from the start.
    len: usize,
}

// SAFETY: a Chunk owns its allocation alone, as a `Box<[u8]>` does.
unsafe impl Send for Chunk {}

impl Chunk {
    fn new(size: usize, huge: bool) -> Chunk {
        let align = if huge { HUGE } else { 64 };
        // A size past `isize::MAX` cannot be allocated anyway: that is the allocator's error.
        let layout = std::alloc::Layout::from_size_align(size.max(1), align)
            .unwrap_or_else(|_| std::alloc::handle_alloc_error(std::alloc::Layout::new::<u8>()));
        // SAFETY: the layout's size is not zero.
        let raw = unsafe { std::alloc::alloc(layout) };
        let Some(ptr) = std::ptr::NonNull::new(raw) else {
            std::alloc::handle_alloc_error(layout)
        };
        if huge {
            advise_huge_pages(raw as usize, layout.size());
        }
        Chunk {
            ptr,
            layout,
            len: 0,
        }
    }

    fn room(&self) -> usize {
        self.layout.size() - self.len
    }

    /// Appends `bytes`, which must fit ([`Chunk::room`]); returns their range.
    fn push(&mut self, bytes: &[u8]) -> Range<usize> {
        assert!(
            bytes.len() <= self.room(),
            "a part is pushed only where it fits"
        );
        // SAFETY: `len + bytes.len() <= size` (checked above), so the destination lies inside
        // the allocation, which `bytes` (a shared borrow) cannot overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(
                bytes.as_ptr(),
                self.ptr.as_ptr().add(self.len),
                bytes.len(),
            );
        }
        self.len += bytes.len();
        self.len - bytes.len()..self.len
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the first `len` bytes were written by `push`, and the borrow of `self` keeps
        // the allocation alive and unwritten while the slice lives.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout, and freed only here.
        unsafe { std::alloc::dealloc(self.ptr.as_ptr(), self.layout) }
    }
}

/// One thread's chunks.
#[derive(Default)]
pub struct Parts {
    chunks: Vec<Chunk>,
}

impl Parts {
    /// Copies a part in; returns its chunk and range.
    fn push(&mut self, bytes: &[u8], huge: bool) -> (usize, Range<usize>) {
        if self.chunks.last().is_none_or(|c| c.room() < bytes.len()) {
            self.chunks.push(Chunk::new(CHUNK.max(bytes.len()), huge));
        }
        let chunk = self.chunks.len() - 1;
        (chunk, self.chunks[chunk].push(bytes))
    }
}

const HUGE: usize = 2 << 20;

/// Asks the kernel to back the whole 2 MiB pages of the `len` bytes at `start` with huge pages
/// (transparent huge pages, where the system allows them on request, as Debian and Ubuntu do
/// by default).
#[cfg(all(target_os = "linux", not(miri)))]
fn advise_huge_pages(start: usize, len: usize) {
    let end = start + len;
    let (from, to) = (start.next_multiple_of(HUGE), end / HUGE * HUGE);
    if from < to {
        // SAFETY: [from, to) lies inside an allocation the caller owns, and MADV_HUGEPAGE only
        // changes how the kernel backs those pages, never their contents or validity. A
        // refusal (THP disabled) leaves ordinary pages, so the result is not checked.
        unsafe {
            libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(any(not(target_os = "linux"), miri))]
fn advise_huge_pages(_: usize, _: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_come_back_as_pushed_across_chunks_and_threads() {
        for huge in [false, true] {
            let shelves = Shelves::new(2);
            shelves.set_huge(huge);
            let big = vec![7u8; CHUNK + 10];
            let p1 = shelves.push(0, b"one");
            let p2 = shelves.push(0, &big);
            let p3 = shelves.push(0, b"three");
            let p4 = shelves.push(1, b"four");
            let p5 = shelves.push(9, b"five");
            assert_ne!(
                p1.chunk, p2.chunk,
                "a part larger than a chunk gets its own"
            );
            assert_eq!(p5.slot, 1, "a thread past the shelves uses the last");
            let parts = shelves.into_parts();
            assert_eq!(get(&parts, &p1), b"one");
            assert_eq!(get(&parts, &p2), &big[..]);
            assert_eq!(get(&parts, &p3), b"three");
            assert_eq!(get(&parts, &p4), b"four");
            assert_eq!(get(&parts, &p5), b"five");
            assert_eq!(get(&[], &p1), b"", "a foreign place reads nothing");
            if huge {
                assert_eq!(
                    parts[0].chunks[0].ptr.as_ptr() as usize % HUGE,
                    0,
                    "a huge chunk starts on a 2 MiB boundary"
                );
            }
        }
    }
}
