//! Untrusted text shown in messages.

/// `s` as a message shows it: whole when it has at most `max` characters, otherwise its first
/// `max` characters, an ellipsis and how long it really is (a million-character name must not
/// make a million-character message).
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((end, _)) => format!("{}… ({} characters)", &s[..end], s.chars().count()),
    }
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn short_text_is_whole_and_long_text_says_how_long_it_was() {
        assert_eq!(clip("Votes", 5), "Votes");
        assert_eq!(clip("Votes!", 5), "Votes… (6 characters)");
        assert_eq!(clip("ééééé", 2), "éé… (5 characters)");
        assert_eq!(clip(&"x".repeat(1_000_000), 3), "xxx… (1000000 characters)");
    }
}
