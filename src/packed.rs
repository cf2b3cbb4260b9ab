//! Generated data packed by build.rs (`pack`): a plain-text index whose record lines end in
//! the offset and length of their body, and the bodies, each deflated on its own, so a run
//! inflates only the records it reads.

/// One packed data file, as `include_str!`/`include_bytes!` give it.
#[derive(Clone, Copy)]
pub struct Packed {
    pub index: &'static str,
    pub blocks: &'static [u8],
}

/// A record's place among the bodies.
#[derive(Clone, Copy, Debug)]
pub struct Block {
    offset: usize,
    len: usize,
}

impl Packed {
    /// Splits a record line of the index into its text (tab-separated fields, as written in
    /// the data file) and the place of its body; `None` for a line that is not a record.
    fn record(line: &'static str) -> Option<(&'static str, Block)> {
        let (rest, len) = line.rsplit_once('\t')?;
        let (text, offset) = rest.rsplit_once('\t')?;
        Some((
            text,
            Block {
                offset: offset.parse().ok()?,
                len: len.parse().ok()?,
            },
        ))
    }

    /// The generator's header: the first line of the index, without its `# `.
    pub fn source(&self) -> &'static str {
        self.index
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("# ")
    }

    /// The records whose head line starts with `tag` (`"S\t"`): the rest of the head, and
    /// the place of the body.
    pub fn records(&self, tag: &'static str) -> impl Iterator<Item = (&'static str, Block)> {
        self.index.lines().filter_map(move |line| {
            let (head, block) = Packed::record(line)?;
            Some((head.strip_prefix(tag)?, block))
        })
    }

    /// A record's body, inflated; kept for the life of the process, since the records read
    /// hand out `&'static str` slices of it.
    pub fn body(&self, block: Block) -> &'static str {
        // The blocks are deflated by build.rs from a file in the repository and each test
        // that reads a record inflates it: failing here is a build defect, not bad input.
        let bytes = self
            .blocks
            .get(block.offset..block.offset + block.len)
            .and_then(|b| miniz_oxide::inflate::decompress_to_vec(b).ok())
            .expect("a packed record inflates");
        Box::leak(
            String::from_utf8(bytes)
                .expect("a packed record is UTF-8")
                .into_boxed_str(),
        )
    }
}
