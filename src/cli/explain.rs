//! `rubric explain CODE`: the long explanation of a diagnostic code.

use super::Outcome;
use rubric::diagnostics::Code;

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  rubric explain E0102\n  rubric explain --list")]
pub struct Args {
    /// The code to explain, for example E0102.
    #[arg(required_unless_present = "list")]
    code: Option<String>,
    /// List every code with its title.
    #[arg(long)]
    list: bool,
}

pub fn run(args: Args) -> Outcome {
    if args.list {
        for code in Code::ALL {
            super::print_out(&format!("{}  {}\n", code, code.title()));
        }
        return Outcome::Success;
    }
    let text = args.code.unwrap_or_default();
    match Code::parse(&text) {
        Some(code) => {
            super::print_out(&format!(
                "{}: {}\n\n{}",
                code,
                code.title(),
                code.explanation()
            ));
            Outcome::Success
        }
        None => {
            eprintln!("error: `{text}` is not a Rubric diagnostic code; `rubric explain --list` shows them all");
            Outcome::Failure
        }
    }
}
