//! The files' parts of a report, kept by the workers until the report is written.
//!
//! A batch's report is kept whole until every file is linted (a template can replace the plain
//! report of a file it names, so nothing is written early). Each worker renders a file's part
//! into a buffer it reuses and copies it onto its own shelf of large chunks, so a batch makes a
//! few allocations for its whole report rather than one per file, and workers never share a
//! lock.

use std::ops::Range;
use std::sync::Mutex;

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
}

impl Shelves {
    /// Shelves for `threads` threads, numbered from 0.
    pub fn new(threads: usize) -> Shelves {
        Shelves {
            slots: (0..threads.max(1))
                .map(|_| Mutex::new(Parts::default()))
                .collect(),
        }
    }

    /// Copies a part in, on thread `slot`'s shelf (the last one for a number past them).
    pub fn push(&self, slot: usize, bytes: &[u8]) -> Place {
        let slot = slot.min(self.slots.len() - 1);
        // A poisoned lock only means another part's copy panicked: the chunks stay sound.
        let mut parts = self.slots[slot]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (chunk, range) = parts.push(bytes);
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
        .and_then(|c| c.get(place.range.clone()))
        .unwrap_or_default()
}

/// One thread's chunks, each filled from its start and never grown past its capacity.
#[derive(Default)]
pub struct Parts {
    chunks: Vec<Vec<u8>>,
}

impl Parts {
    /// Copies a part in; returns its chunk and range.
    fn push(&mut self, bytes: &[u8]) -> (usize, Range<usize>) {
        if self
            .chunks
            .last()
            .is_none_or(|c| c.capacity() - c.len() < bytes.len())
        {
            self.chunks.push(Vec::with_capacity(CHUNK.max(bytes.len())));
        }
        let chunk = self.chunks.len() - 1;
        let c = &mut self.chunks[chunk];
        let start = c.len();
        c.extend_from_slice(bytes);
        (chunk, start..c.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_come_back_as_pushed_across_chunks_and_threads() {
        let shelves = Shelves::new(2);
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
    }
}
