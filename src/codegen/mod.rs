//! Stage 4b, code generation: an [`ir::Policy`](crate::ir::Policy) → source code of an evaluator
//! that runs without Rubric. One module per target language.

pub mod rust;
pub mod sql;

/// Why a crate could not be generated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodegenError {
    /// The policy uses something this backend cannot express.
    Unsupported(String),
    /// The IR did not have the shape the generator expects: a bug, reported instead of a panic.
    Internal(String),
}

impl std::fmt::Display for CodegenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodegenError::Unsupported(what) => write!(f, "cannot generate code: {what}"),
            CodegenError::Internal(what) => write!(f, "internal error generating code: {what}"),
        }
    }
}

impl std::error::Error for CodegenError {}
