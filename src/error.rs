//! The one error type of the trawl library.
//!
//! Every variant carries the context a person needs to act on it: the file, the line, the field
//! and the reason. Row-level problems during ingest are *not* errors — they go to the quarantine
//! (see [`crate::ingest`]); an [`Error`] stops the operation at hand.

use std::path::PathBuf;

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop a trawl operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed. (The I/O error is part of the message rather than a
    /// `source`, so a printed error chain does not repeat it.)
    #[error("{}: {error}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying I/O error.
        error: std::io::Error,
    },

    /// The store (SQLite) failed.
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),

    /// A row or document could not be parsed, and the operation could not continue past it
    /// (`--strict`, or a problem that concerns the whole file).
    #[error("{}:{line}: {reason}", path.display())]
    Parse {
        /// The file being read.
        path: PathBuf,
        /// 1-based line number (0 when the problem concerns the whole file).
        line: u64,
        /// What is wrong, in words a person understands.
        reason: String,
    },

    /// A whole input file is not what its kind expects (wrong header, binary content, …).
    /// Nothing of it was written.
    #[error("{}: refused: {reason}", path.display())]
    Refused {
        /// The file refused.
        path: PathBuf,
        /// Why it was refused.
        reason: String,
    },

    /// A configuration value (policy profile, command-line option) is invalid.
    #[error("invalid configuration: {key}: {reason}")]
    Config {
        /// The key or option at fault.
        key: String,
        /// Why it is invalid.
        reason: String,
    },

    /// Something asked for does not exist (an entity id, a record, an alert).
    #[error("not found: {0}")]
    NotFound(String),

    /// The store was written by a newer trawl than this one.
    #[error("database schema version {found} is newer than this trawl supports ({supported})")]
    SchemaTooNew {
        /// The version found in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error: source,
        }
    }
}
