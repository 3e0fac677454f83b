//! `truth/records.csv`: the true entity of every record, written as the records are.
//!
//! Inputs: record keys (a parties id, a screening entity number, an FtM id, or
//! `{shipment_id}:{role}`) and cluster ids. Outputs: one `id,cluster` line each, through one
//! reused line buffer, with a count for the summary. Cluster ids are `C` + six digits for
//! companies and organisations, `P` + six digits for people.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Writer of `truth/records.csv`.
pub struct Truth {
    out: BufWriter<File>,
    path: PathBuf,
    line: String,
    lines: u64,
}

/// Appends the cluster id of company `i` ("C000123").
pub fn push_company(out: &mut String, i: usize) {
    let _ = write!(out, "C{i:06}");
}

/// Appends the cluster id of person `i` ("P000045").
pub fn push_person(out: &mut String, i: usize) {
    let _ = write!(out, "P{i:06}");
}

impl Truth {
    /// Creates the file and writes its header.
    ///
    /// # Errors
    /// I/O errors.
    pub fn create(path: &Path) -> Result<Truth> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        out.write_all(b"id,cluster\n")
            .map_err(|e| Error::io(path, e))?;
        Ok(Truth {
            out,
            path: path.to_path_buf(),
            line: String::with_capacity(64),
            lines: 0,
        })
    }

    fn emit(&mut self) -> Result<()> {
        self.line.push('\n');
        self.out
            .write_all(self.line.as_bytes())
            .map_err(|e| Error::io(&self.path, e))?;
        self.lines += 1;
        Ok(())
    }

    /// Records that `id` is company `i`.
    ///
    /// # Errors
    /// I/O errors.
    pub fn company(&mut self, id: &str, i: usize) -> Result<()> {
        self.line.clear();
        self.line.push_str(id);
        self.line.push(',');
        push_company(&mut self.line, i);
        self.emit()
    }

    /// Records that `id` is person `i`.
    ///
    /// # Errors
    /// I/O errors.
    pub fn person(&mut self, id: &str, i: usize) -> Result<()> {
        self.line.clear();
        self.line.push_str(id);
        self.line.push(',');
        push_person(&mut self.line, i);
        self.emit()
    }

    /// Records that the `role` party of `shipment` is company `i`.
    ///
    /// # Errors
    /// I/O errors.
    pub fn mention(&mut self, shipment: &str, role: &str, i: usize) -> Result<()> {
        self.line.clear();
        self.line.push_str(shipment);
        self.line.push(':');
        self.line.push_str(role);
        self.line.push(',');
        push_company(&mut self.line, i);
        self.emit()
    }

    /// Flushes the file; returns the number of records written.
    ///
    /// # Errors
    /// I/O errors.
    pub fn finish(mut self) -> Result<u64> {
        self.out.flush().map_err(|e| Error::io(&self.path, e))?;
        Ok(self.lines)
    }
}
