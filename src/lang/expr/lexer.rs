//! The tokenizer shared by every expression kind.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// `[A-Za-z_][A-Za-z0-9_]*`: attribute names, function names and keywords.
    Ident,
    /// `#` followed by `[A-Za-z0-9_]*`.
    Name,
    /// `:` followed by `[A-Za-z0-9_]*`.
    Value,
    /// A run of decimal digits (only valid as a list index).
    Num,
    /// `=`, `<>`, `<`, `<=`, `>`, `>=`, `(`, `)`, `[`, `]`, `,`, `.`, `+`, `-`.
    Punct,
    /// Any other character.
    Bad,
    Eof,
}

#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub kind: Tok,
    pub start: usize,
    pub end: usize,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `src` into tokens; the last token is always `Eof`. Never fails: unknown characters
/// become `Bad` tokens, which the parser reports as syntax errors when it reaches them.
pub fn tokenize(src: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        let mut take_while = |f: fn(char) -> bool, end: &mut usize| {
            while let Some(&(i, c)) = chars.peek() {
                if !f(c) {
                    break;
                }
                *end = i + c.len_utf8();
                chars.next();
            }
        };
        let kind = match c {
            ' ' | '\t' | '\r' | '\n' => continue,
            '#' | ':' => {
                take_while(is_word, &mut end);
                if c == '#' {
                    Tok::Name
                } else {
                    Tok::Value
                }
            }
            '0'..='9' => {
                take_while(|c| c.is_ascii_digit(), &mut end);
                Tok::Num
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                take_while(is_word, &mut end);
                Tok::Ident
            }
            '<' | '>' => {
                if let Some(&(i, n)) = chars.peek() {
                    if n == '=' || (c == '<' && n == '>') {
                        end = i + 1;
                        chars.next();
                    }
                }
                Tok::Punct
            }
            '=' | '(' | ')' | '[' | ']' | ',' | '.' | '+' | '-' => Tok::Punct,
            _ => Tok::Bad,
        };
        out.push(Token { kind, start, end });
    }
    out.push(Token { kind: Tok::Eof, start: src.len(), end: src.len() });
    out
}
