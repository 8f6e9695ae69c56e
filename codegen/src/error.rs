//! Errors of the generator. Every error about an input file names the file, and where a
//! position is known, the line and column, so that a broken WSDL can be fixed by reading one line.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in an input file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
}

impl Location {
    pub fn new(file: &Path, line: u32, column: u32) -> Self {
        Location {
            file: file.to_path_buf(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file is not well-formed XML.
    #[error("{location}: malformed XML: {message}")]
    Xml { location: Location, message: String },
    /// A file is XML but not a WSDL/XSD the generator understands, or refers to something missing.
    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },
    /// Two files disagree (for example the Admin and Reseller WSDLs of one service).
    #[error("{message}")]
    Conflict { message: String },
}

impl Error {
    pub(crate) fn invalid(location: Location, message: impl Into<String>) -> Self {
        Error::Invalid {
            location,
            message: message.into(),
        }
    }

    /// Where the error is, when it is about one place in one file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Xml { location, .. } | Error::Invalid { location, .. } => Some(location),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
