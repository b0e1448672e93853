//! The error every command returns: the engine's error kind and its
//! one-line message, small enough to show in the window as it is.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CommandError {
    /// A stable name (`not_found`, `parse`, `locked`, `io`, …).
    pub kind: String,
    /// One line naming what went wrong and where.
    pub message: String,
}

impl CommandError {
    pub fn new(kind: &str, message: impl Into<String>) -> CommandError {
        CommandError {
            kind: kind.to_string(),
            message: message.into(),
        }
    }
}

impl From<lectern::Error> for CommandError {
    fn from(e: lectern::Error) -> CommandError {
        CommandError::new(e.kind(), e.to_string())
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
