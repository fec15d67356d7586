//! The files a run has loaded, addressed by [`FileId`], in the form codespan-reporting renders from.

use crate::span::FileId;
use codespan_reporting::files::{Files, SimpleFile};
use std::ops::Range;
use std::sync::OnceLock;

/// Every source file of one run. Files are never removed, so ids stay valid.
#[derive(Default)]
pub struct SourceMap {
    files: Vec<SimpleFile<String, String>>,
    /// For each file, made the first time a column is asked for: how many characters come
    /// before every [`BLOCK`]-th byte. A column is then counted from the nearest block, not
    /// from the start of its line, so thousands of diagnostics on one long line stay cheap.
    blocks: Vec<OnceLock<Vec<usize>>>,
}

/// The bytes between two entries of a file's character counts.
const BLOCK: usize = 1024;

/// The characters in `bytes`, which may start or end inside a character: its first bytes
/// (UTF-8 continuation bytes) are not counted.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, source: impl Into<String>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SimpleFile::new(name.into(), source.into()));
        self.blocks.push(OnceLock::new());
        id
    }

    pub fn name(&self, id: FileId) -> &str {
        self.files
            .get(id.0 as usize)
            .map_or("<unknown>", |f| f.name())
    }

    pub fn source(&self, id: FileId) -> &str {
        self.files.get(id.0 as usize).map_or("", |f| f.source())
    }

    /// 1-based line and column of a byte offset, for machine-readable output.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        match self.location(id, offset) {
            Ok(loc) => (loc.line_number, loc.column_number),
            Err(_) => (0, 0),
        }
    }

    /// The characters before byte `offset` of file `id`.
    fn chars_before(&self, id: FileId, offset: usize) -> usize {
        let source = self.source(id).as_bytes();
        let Some(blocks) = self.blocks.get(id.0 as usize) else {
            return 0;
        };
        let blocks = blocks.get_or_init(|| {
            let mut counts = vec![0];
            let mut total = 0;
            for block in source.chunks(BLOCK) {
                total += chars_in(block);
                counts.push(total);
            }
            counts
        });
        let offset = offset.min(source.len());
        let block = offset / BLOCK;
        let before = blocks.get(block).copied().unwrap_or(0);
        before + chars_in(source.get(block * BLOCK..offset).unwrap_or(&[]))
    }

    fn get(
        &self,
        id: FileId,
    ) -> Result<&SimpleFile<String, String>, codespan_reporting::files::Error> {
        self.files
            .get(id.0 as usize)
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.get(id)?.name())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.get(id)?.source())
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.get(id)?.line_index((), byte_index)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        self.get(id)?.line_range((), line_index)
    }

    /// As the default (characters from the start of the line, plus one), counted from the
    /// nearest block instead of from the start of the line.
    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let line = self.line_range(id, line_index)?;
        let byte = byte_index.min(line.end);
        Ok(self.chars_before(id, byte) - self.chars_before(id, line.start) + 1)
    }
}

/// The largest policy file read: 16 MiB, some 150,000 rules. (A policy of 9 MB and 80,000 rules
/// checks in about 2 s and 430 MB; checking time and memory grow in proportion.)
pub const MAX_POLICY_BYTES: u64 = 16 << 20;

impl SourceMap {
    /// Reads a policy file from disk. Refuses files that are not UTF-8 or larger than
    /// [`MAX_POLICY_BYTES`].
    pub fn load(&mut self, path: &std::path::Path) -> Result<FileId, String> {
        let shown = path.display();
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
        if meta.len() > MAX_POLICY_BYTES {
            return Err(format!(
                "`{shown}` is {} bytes, larger than the {} MiB a policy file may be",
                meta.len(),
                MAX_POLICY_BYTES >> 20
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "`{shown}` is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            )
        })?;
        Ok(self.add(shown.to_string(), text))
    }
}
