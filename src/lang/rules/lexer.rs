//! Tokens of the trigger rule language. Positions are 1-based lines and columns counted in
//! characters, so a caret lines up under the source whatever its script.

use super::Diagnostic;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// A word: keyword, event name, attribute, table or aggregate name.
    Word(String),
    /// A string literal, decoded, with the source column of each decoded character.
    Str(String, Vec<usize>),
    /// A number literal as written (validated by the parser).
    Num(String),
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Colon,
    Dot,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Eof,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub tok: Tok,
    pub line: usize,
    pub col: usize,
}

impl Tok {
    /// How an error message names this token.
    pub fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{w}`"),
            Tok::Str(s, _) => {
                let short: String = s.chars().take(20).collect();
                if short.len() < s.len() {
                    format!("string \"{short}...\"")
                } else {
                    format!("string \"{short}\"")
                }
            }
            Tok::Num(n) => format!("number {n}"),
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Colon => "`:`".into(),
            Tok::Dot => "`.`".into(),
            Tok::Eq => "`=`".into(),
            Tok::Ne => "`!=`".into(),
            Tok::Lt => "`<`".into(),
            Tok::Le => "`<=`".into(),
            Tok::Gt => "`>`".into(),
            Tok::Ge => "`>=`".into(),
            Tok::Eof => "end of input".into(),
        }
    }
}

/// Splits `src` into tokens. `line`/`col` give the position of its first character (templates
/// lex their `{...}` placeholders with the position they have inside the rule source).
pub(crate) fn lex(src: &str, line: usize, col: usize) -> Result<Vec<Token>, Diagnostic> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut line, mut col) = (line, col);
    let mut i = 0;
    // Where the end of input is reported: just after the last token.
    let (mut end_line, mut end_col) = (line, col);
    let err = |line, column, message: String| Diagnostic { line, column, message };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            col = 1;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            col += 1;
            continue;
        }
        if (c == '-' && next == Some('-')) || (c == '/' && next == Some('/')) {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
                col += 1;
            }
            continue;
        }
        let (tl, tc) = (line, col);
        let single = |t: Tok| Some(t);
        let (tok, len) = match c {
            '{' => (single(Tok::LBrace), 1),
            '}' => (single(Tok::RBrace), 1),
            '(' => (single(Tok::LParen), 1),
            ')' => (single(Tok::RParen), 1),
            '[' => (single(Tok::LBracket), 1),
            ']' => (single(Tok::RBracket), 1),
            ',' => (single(Tok::Comma), 1),
            ':' => (single(Tok::Colon), 1),
            '.' => (single(Tok::Dot), 1),
            '=' if next == Some('=') => (single(Tok::Eq), 2),
            '=' => (single(Tok::Eq), 1),
            '!' if next == Some('=') => (single(Tok::Ne), 2),
            '<' if next == Some('>') => (single(Tok::Ne), 2),
            '<' if next == Some('=') => (single(Tok::Le), 2),
            '<' => (single(Tok::Lt), 1),
            '>' if next == Some('=') => (single(Tok::Ge), 2),
            '>' => (single(Tok::Gt), 1),
            _ => (None, 0),
        };
        if let Some(tok) = tok {
            out.push(Token { tok, line: tl, col: tc });
            i += len;
            col += len;
            (end_line, end_col) = (line, col);
            continue;
        }
        if c == '"' {
            let mut s = String::new();
            let mut cols = Vec::new();
            let mut j = i + 1;
            let mut k = col + 1;
            loop {
                match chars.get(j).copied() {
                    None | Some('\n') => {
                        return Err(err(
                            tl,
                            tc,
                            "this string is never closed: add a `\"` before the end of the line".into(),
                        ))
                    }
                    Some('"') => break,
                    Some('\\') => {
                        let decoded = match chars.get(j + 1).copied() {
                            Some('"') => '"',
                            Some('\\') => '\\',
                            Some('n') => '\n',
                            Some('t') => '\t',
                            _ => {
                                return Err(err(
                                    line,
                                    k,
                                    "unknown escape: inside a string write \\\" \\\\ \\n or \\t".into(),
                                ))
                            }
                        };
                        s.push(decoded);
                        cols.push(k);
                        j += 2;
                        k += 2;
                    }
                    Some(ch) => {
                        s.push(ch);
                        cols.push(k);
                        j += 1;
                        k += 1;
                    }
                }
            }
            out.push(Token { tok: Tok::Str(s, cols), line: tl, col: tc });
            col = k + 1;
            i = j + 1;
            (end_line, end_col) = (line, col);
            continue;
        }
        let starts_number = c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit()));
        if starts_number {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j + 1 < chars.len() && chars[j] == '.' && chars[j + 1].is_ascii_digit() {
                j += 1;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
            }
            if j < chars.len() && (chars[j] == 'e' || chars[j] == 'E') {
                let mut k = j + 1;
                if k < chars.len() && (chars[k] == '+' || chars[k] == '-') {
                    k += 1;
                }
                if k < chars.len() && chars[k].is_ascii_digit() {
                    while k < chars.len() && chars[k].is_ascii_digit() {
                        k += 1;
                    }
                    j = k;
                }
            }
            if j < chars.len() && (crate::support::platform::is_alphanumeric(chars[j]) || chars[j] == '_') {
                return Err(err(line, col + (j - i), "a number cannot run into a name: add a space".into()));
            }
            let text: String = chars[i..j].iter().collect();
            out.push(Token { tok: Tok::Num(text), line: tl, col: tc });
            col += j - i;
            i = j;
            (end_line, end_col) = (line, col);
            continue;
        }
        if crate::support::platform::is_alphabetic(c) || c == '_' {
            let mut j = i + 1;
            while j < chars.len() && (crate::support::platform::is_alphanumeric(chars[j]) || chars[j] == '_') {
                j += 1;
            }
            let text: String = chars[i..j].iter().collect();
            out.push(Token { tok: Tok::Word(text), line: tl, col: tc });
            col += j - i;
            i = j;
            (end_line, end_col) = (line, col);
            continue;
        }
        let message = match c {
            '#' => "`#` does not start a comment here: comments start with `--` (a channel like \"#ops\" goes in double quotes)".to_string(),
            '\'' => "strings use double quotes: \"like this\"".to_string(),
            '&' => "write `and` instead of `&&`".to_string(),
            '|' => "write `or` instead of `||`".to_string(),
            '!' => "write `not` instead of `!` (and `!=` for \"not equal\")".to_string(),
            _ => format!("unexpected character `{c}`"),
        };
        return Err(err(tl, tc, message));
    }
    out.push(Token { tok: Tok::Eof, line: end_line, col: end_col });
    Ok(out)
}
