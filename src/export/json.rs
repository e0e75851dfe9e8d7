//! `analyze --format json`: one JSON object, the contract documented field
//! by field in docs/method.md.

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::{ClaimAnalysis, RootGroup};
use crate::diag::Diagnostic;
use crate::model::Case;

/// The whole output; [`json`] writes it piece by piece, with the same bytes.
#[cfg(test)]
#[derive(Serialize)]
struct JsonOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    claims: Vec<JsonClaim<'a>>,
    warnings: Vec<String>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonClaim<'a> {
    id: &'a str,
    text: &'a str,
    reports: u32,
    independent: u32,
    anonymous: u32,
    named: u32,
    undisclosed: u32,
    unknown: u32,
    retracted: u32,
    single_source: bool,
    first_reported: Option<String>,
    roots: Vec<JsonGroup<'a>>,
    sources: Vec<JsonSource<'a>>,
    denials: JsonDenials<'a>,
    loops: Vec<JsonGroup<'a>>,
    first_supported: Option<String>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonGroup<'a> {
    sources: Vec<&'a str>,
    circular: bool,
    anonymous: bool,
    basis: &'static str,
    retracted: bool,
    reach: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cycle: Vec<&'a str>,
    members: Vec<JsonMember<'a>>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonMember<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonSource<'a> {
    id: &'a str,
    roots: u32,
    chains: u32,
    name: &'a str,
    kind: &'static str,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonDenials<'a> {
    independent: u32,
    roots: Vec<JsonGroup<'a>>,
}

#[cfg(test)]
fn json_group<'a>(case: &'a Case, g: &RootGroup) -> JsonGroup<'a> {
    let id = |s: &u32| case.source(*s).id.as_str();
    JsonGroup {
        sources: g.sources.iter().map(id).collect(),
        circular: g.circular,
        anonymous: g.anonymous,
        basis: g.basis.as_str(),
        retracted: g.retracted,
        reach: g.reach,
        cycle: g.cycle.iter().map(id).collect(),
        members: g
            .sources
            .iter()
            .map(|&s| JsonMember {
                id: &case.source(s).id,
                name: &case.source(s).name,
                kind: case.source(s).kind.as_str(),
            })
            .collect(),
    }
}

#[cfg(test)]
fn json_claim<'a>(case: &'a Case, a: &ClaimAnalysis) -> JsonClaim<'a> {
    let c = case.claim(a.claim);
    JsonClaim {
        id: &c.id,
        text: &c.text,
        reports: a.reports,
        independent: a.independent,
        anonymous: a.anonymous,
        named: a.named,
        undisclosed: a.undisclosed,
        unknown: a.unknown,
        retracted: a.retracted,
        single_source: a.single_source,
        first_reported: a.first_reported.map(|d| d.to_string()),
        roots: a.roots.iter().map(|g| json_group(case, g)).collect(),
        sources: a
            .sources
            .iter()
            .map(|s| JsonSource {
                id: &case.source(s.source).id,
                roots: s.roots,
                chains: s.chains,
                name: &case.source(s.source).name,
                kind: case.source(s.source).kind.as_str(),
            })
            .collect(),
        denials: JsonDenials {
            independent: a.denials.independent,
            roots: a
                .denials
                .roots
                .iter()
                .map(|g| json_group(case, g))
                .collect(),
        },
        loops: a.loops.iter().map(|g| json_group(case, g)).collect(),
        first_supported: a.first_supported.map(|d| d.to_string()),
    }
}

fn json_warnings(warnings: &[Diagnostic]) -> Vec<String> {
    warnings
        .iter()
        .map(|d| format!("{}: {}", d.at, d.message))
        .collect()
}

/// Pretty JSON of `value`, every line after the first indented by `pad`.
/// A line break inside a JSON string is written `\n`, so every line break
/// in the output is the pretty printer's own.
fn pretty_indented<T: Serialize + ?Sized>(value: &T, pad: &[u8]) -> Vec<u8> {
    let mut buf = Vec::new();
    serde_json::to_writer_pretty(&mut buf, value).expect("serialising plain data cannot fail");
    let lines = buf.iter().filter(|&&b| b == b'\n').count();
    let mut out = Vec::with_capacity(buf.len() + lines * pad.len());
    for (i, line) in buf.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend_from_slice(pad);
        }
        out.extend_from_slice(line);
    }
    out
}

/// A writer of JSON laid out as serde_json's pretty printer lays it out
/// (two spaces a level, `"key": value`, `[]` and `{}` when empty), for the
/// fixed shape of a claim's figures. Written by hand because a large case
/// has a million per-source entries, and taking each through serde's data
/// model and formatter cost as much as the analysis.
struct Pretty {
    out: Vec<u8>,
    level: usize,
    /// Nothing written yet in the innermost open array or object.
    empty: bool,
}

impl Pretty {
    fn new(level: usize) -> Pretty {
        Pretty {
            out: Vec::new(),
            level,
            empty: false,
        }
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        for _ in 0..self.level {
            self.out.extend_from_slice(b"  ");
        }
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.level += 1;
        self.empty = true;
    }

    fn close(&mut self, bracket: u8) {
        self.level -= 1;
        if !self.empty {
            self.newline();
        }
        self.out.push(bracket);
        self.empty = false;
    }

    /// Before each element of an array.
    fn item(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.newline();
        self.empty = false;
    }

    /// Before each value of an object.
    fn key(&mut self, key: &str) {
        self.item();
        self.str(key);
        self.out.extend_from_slice(b": ");
    }

    fn str(&mut self, s: &str) {
        // serde_json escapes the quote, the backslash and control characters.
        if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            self.out.push(b'"');
            self.out.extend_from_slice(s.as_bytes());
            self.out.push(b'"');
        } else {
            serde_json::to_writer(&mut self.out, s).expect("serialising a string cannot fail");
        }
    }

    fn num(&mut self, n: u32) {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        let mut n = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&digits[i..]);
    }

    fn bool(&mut self, b: bool) {
        self.out
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    fn ids(&mut self, case: &Case, sources: &[u32]) {
        self.open(b'[');
        for &s in sources {
            self.item();
            self.str(case.source_id(s));
        }
        self.close(b']');
    }

    fn groups(&mut self, case: &Case, groups: &[RootGroup]) {
        self.open(b'[');
        for g in groups {
            self.item();
            self.open(b'{');
            self.key("sources");
            self.ids(case, &g.sources);
            self.key("circular");
            self.bool(g.circular);
            self.key("anonymous");
            self.bool(g.anonymous);
            self.key("basis");
            self.str(g.basis.as_str());
            self.key("retracted");
            self.bool(g.retracted);
            self.key("reach");
            self.num(g.reach);
            if !g.cycle.is_empty() {
                self.key("cycle");
                self.ids(case, &g.cycle);
            }
            self.key("members");
            self.open(b'[');
            for &s in &g.sources {
                let src = case.source(s);
                self.item();
                self.open(b'{');
                self.key("id");
                self.str(&src.id);
                self.key("name");
                self.str(&src.name);
                self.key("kind");
                self.str(src.kind.as_str());
                self.close(b'}');
            }
            self.close(b']');
            self.close(b'}');
        }
        self.close(b']');
    }

    fn claim(&mut self, case: &Case, a: &ClaimAnalysis) {
        let c = case.claim(a.claim);
        self.open(b'{');
        self.key("id");
        self.str(&c.id);
        self.key("text");
        self.str(&c.text);
        self.key("reports");
        self.num(a.reports);
        self.key("independent");
        self.num(a.independent);
        self.key("anonymous");
        self.num(a.anonymous);
        self.key("named");
        self.num(a.named);
        self.key("undisclosed");
        self.num(a.undisclosed);
        self.key("unknown");
        self.num(a.unknown);
        self.key("retracted");
        self.num(a.retracted);
        self.key("single_source");
        self.bool(a.single_source);
        self.key("first_reported");
        match a.first_reported {
            Some(d) => self.str(&d.to_string()),
            None => self.out.extend_from_slice(b"null"),
        }
        self.key("roots");
        self.groups(case, &a.roots);
        self.key("sources");
        self.open(b'[');
        for f in &a.sources {
            self.item();
            self.open(b'{');
            self.key("id");
            self.str(case.source_id(f.source));
            self.key("roots");
            self.num(f.roots);
            self.key("chains");
            self.num(f.chains);
            let src = case.source(f.source);
            self.key("name");
            self.str(&src.name);
            self.key("kind");
            self.str(src.kind.as_str());
            self.close(b'}');
        }
        self.close(b']');
        self.key("denials");
        self.open(b'{');
        self.key("independent");
        self.num(a.denials.independent);
        self.key("roots");
        self.groups(case, &a.denials.roots);
        self.close(b'}');
        self.key("loops");
        self.groups(case, &a.loops);
        self.key("first_supported");
        match a.first_supported {
            Some(d) => self.str(&d.to_string()),
            None => self.out.extend_from_slice(b"null"),
        }
        self.close(b'}');
    }
}

/// The JSON of `analyze --format json`, as docs/method.md fixes it (with `title`,
/// `loops`, `first_supported` and each circular group's `cycle` added).
///
/// The bytes are those of serde_json's pretty printer over the whole object,
/// but each claim is written on its own, in parallel, at its depth in the
/// `claims` array, and the pieces are joined in order: for a large case the
/// output runs to a hundred megabytes.
pub fn json(case: &Case, analyses: &[ClaimAnalysis], warnings: &[Diagnostic]) -> String {
    let claims: Vec<Vec<u8>> = analyses
        .par_iter()
        .map(|a| {
            let mut w = Pretty::new(2);
            w.claim(case, a);
            w.out
        })
        .collect();
    let warnings = pretty_indented(&json_warnings(warnings), b"  ");
    let len = claims.iter().map(|c| c.len() + 6).sum::<usize>() + warnings.len() + 64;
    let mut out: Vec<u8> = Vec::with_capacity(len);
    out.extend_from_slice(b"{\n");
    if let Some(title) = case.title.as_deref() {
        out.extend_from_slice(b"  \"title\": ");
        serde_json::to_writer(&mut out, title).expect("serialising a string cannot fail");
        out.extend_from_slice(b",\n");
    }
    out.extend_from_slice(b"  \"claims\": [");
    for (i, c) in claims.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        out.extend_from_slice(c);
    }
    if !claims.is_empty() {
        out.extend_from_slice(b"\n  ");
    }
    out.extend_from_slice(b"],\n  \"warnings\": ");
    out.extend_from_slice(&warnings);
    out.extend_from_slice(b"\n}\n");
    String::from_utf8(out).expect("JSON text is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::load::{load_str, Format, LoadOptions};

    /// The whole object through serde_json's pretty printer in one go.
    fn json_in_one_piece(
        case: &Case,
        analyses: &[ClaimAnalysis],
        warnings: &[Diagnostic],
    ) -> String {
        let out = JsonOut {
            title: case.title.as_deref(),
            claims: analyses.iter().map(|a| json_claim(case, a)).collect(),
            warnings: json_warnings(warnings),
        };
        let mut s = serde_json::to_string_pretty(&out).unwrap();
        s.push('\n');
        s
    }

    #[test]
    fn json_in_pieces_is_byte_for_byte_json_in_one_piece() {
        let cases = [
            // A title, quotes and a line break to escape, warnings, a circle.
            "title = \"A \\\"quoted\\\"\\ntitle\"\n\
             [[sources]]\nid = \"x\"\nkind = \"anonymous\"\n\
             [[claims]]\nid = \"c\"\ntext = \"two\\nlines\"\n\
             [[reports]]\nsource = \"a\"\nclaim = \"c\"\ncites = [\"b\"]\ndate = \"2015\"\n\
             [[reports]]\nsource = \"b\"\nclaim = \"c\"\ncites = [\"a\"]\n\
             [[reports]]\nsource = \"d\"\nclaim = \"c\"\ncites = [\"a\", \"x\"]\n\
             [[reports]]\nsource = \"e\"\nclaim = \"c\"\nstance = \"deny\"\n\
             [[reports]]\nsource = \"a\"\nclaim = \"other\"\n\
             [[reports]]\nsource = \"p\"\nclaim = \"c\"\ncites = [\"a\", \"q\"]\n\
             [[reports]]\nsource = \"q\"\nclaim = \"c\"\ncites = [\"p\"]\n\
             [[claims]]\nid = \"denied\"\ntext = \"tab\\t quote\\\" backslash\\\\ é ✓\"\n\
             [[reports]]\nsource = \"a\"\nclaim = \"denied\"\nstance = \"deny\"\n",
            // No title, no warnings, several claims.
            "[[reports]]\nsource = \"a\"\nclaim = \"c1\"\n\
             [[reports]]\nsource = \"b\"\nclaim = \"c2\"\ncites = [\"a\"]\n",
            // No claims at all.
            "title = \"empty\"\n",
        ];
        // Loops, cycles, a claim without sources, warnings: each shape met.
        let mut seen = (false, false, false, false);
        for text in cases {
            let loaded =
                load_str("case.toml", text, Format::Toml, &LoadOptions::default()).unwrap();
            let case = &loaded.case;
            let ids: Vec<u32> = (0..case.claims.len() as u32).collect();
            let analyses = analyze(case, &ids);
            seen.0 |= analyses.iter().any(|a| !a.loops.is_empty());
            seen.1 |= analyses
                .iter()
                .any(|a| a.roots.iter().any(|g| !g.cycle.is_empty()));
            seen.2 |= analyses.iter().any(|a| a.sources.is_empty());
            seen.3 |= !loaded.warnings.is_empty();
            for warnings in [&loaded.warnings[..], &[]] {
                assert_eq!(
                    json(case, &analyses, warnings),
                    json_in_one_piece(case, &analyses, warnings),
                    "{text}"
                );
            }
        }
        assert_eq!(seen, (true, true, true, true));
    }
}
