//! Small helpers for writing lists in English, shared by diagnostics and generated prose.

/// "a", "a or b", "a, b or c".
pub fn join_or(words: &[String]) -> String {
    join(words, "or", "something else")
}

/// "a", "a and b", "a, b and c".
pub fn join_and(words: &[String]) -> String {
    join(words, "and", "nothing")
}

fn join(words: &[String], conjunction: &str, empty: &str) -> String {
    match words {
        [] => empty.to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {}", init.join(", "), last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_or(&w(&["a"])), "a");
        assert_eq!(join_or(&w(&["a", "b"])), "a or b");
        assert_eq!(join_and(&w(&["a", "b", "c"])), "a, b and c");
    }
}
