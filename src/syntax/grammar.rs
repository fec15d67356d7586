//! The pest parser generated from `grammar/rubric.pest`. Private to the syntax stage.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rubric.pest"]
pub(super) struct RubricParser;
