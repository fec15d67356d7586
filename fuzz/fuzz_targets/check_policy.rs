//! Policy text, any bytes, through parsing, checking, lowering and verifying, and both ways of
//! rendering diagnostics. Nothing may panic or hang; a text that parses must print and read back
//! as the same tree; the rendered diagnostics stay bounded.

#![no_main]

use codespan_reporting::term::termcolor::NoColor;
use rubric::diagnostics::{render_human, render_json};
use rubric::SourceMap;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = SourceMap::new();
    let file = sources.add("fuzz.rubric", text);
    let compilation = rubric::compile(&sources, file, &rubric::Options::default());
    let diagnostics: Vec<_> = compilation
        .diagnostics()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    let mut human = NoColor::new(Vec::new());
    render_human(&mut human, &sources, &diagnostics).expect("rendering to memory cannot fail");
    let human = human.into_inner();
    let json = serde_json::to_string(&render_json(&sources, &diagnostics)).expect("JSON");
    // Diagnostics are bounded: at most 200 shown to a person, each with bounded excerpts and
    // messages, so their text stays under a fixed size whatever the policy (before, one
    // diagnostic per rule reprinted a whole long line: 23 MB for a 16 KB policy). The JSON form
    // holds every diagnostic, each bounded.
    assert!(
        human.len() <= 1 << 20,
        "{} bytes of diagnostics",
        human.len()
    );
    assert!(
        json.len() <= (1 << 20) + 4096 * diagnostics.len(),
        "{} bytes of JSON diagnostics",
        json.len()
    );
    if let Some(ast) = compilation.ast() {
        let printed = rubric::syntax::print::print(ast);
        let again = rubric::parse(file, &printed).expect("the printout of a parsed policy parses");
        assert_eq!(
            ast.items, again.items,
            "the printout reads back as the same tree"
        );
        assert_eq!(
            printed,
            rubric::syntax::print::print(&again),
            "printing is idempotent"
        );
    }
});
