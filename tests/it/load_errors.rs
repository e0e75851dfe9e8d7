//! Malformed case files: every error and warning the loader has, in every
//! encoding where it applies, with the file, line, column, value and
//! suggestion each message must name; then mutated copies of the example
//! case, which must be refused or accepted but never crash the program.

use std::collections::BTreeSet;
use std::path::PathBuf;

use rumorgraph::load::{self, Format, Input, LoadOptions};
use rumorgraph::Error;

use crate::util::{
    self,
    Cell::{D, E, N, T},
    Lcg,
};

/// One malformed input and what `rumorgraph validate` must say about it.
struct Case {
    name: &'static str,
    /// Files written to a fresh directory before the run.
    files: Vec<(&'static str, Vec<u8>)>,
    /// The file arguments; the names of `files` when empty.
    args: Vec<&'static str>,
    flags: Vec<&'static str>,
    stdin: Option<Vec<u8>>,
    exit: i32,
    /// Words that must appear on stderr.
    expect: Vec<&'static str>,
    /// Words that must not appear on stderr.
    absent: Vec<&'static str>,
    /// The message's code (`diag::Code::as_str`), checked through the library.
    code: Option<&'static str>,
}

/// A case of one file.
fn case(
    name: &'static str,
    file: &'static str,
    contents: impl Into<Vec<u8>>,
    exit: i32,
    expect: &[&'static str],
) -> Case {
    Case {
        name,
        files: vec![(file, contents.into())],
        args: Vec::new(),
        flags: Vec::new(),
        stdin: None,
        exit,
        expect: expect.to_vec(),
        absent: Vec::new(),
        code: None,
    }
}

/// A case read from standard input (`-`).
fn stdin_case(
    name: &'static str,
    contents: impl Into<Vec<u8>>,
    exit: i32,
    expect: &[&'static str],
) -> Case {
    Case {
        name,
        files: Vec::new(),
        args: vec!["-"],
        flags: Vec::new(),
        stdin: Some(contents.into()),
        exit,
        expect: expect.to_vec(),
        absent: Vec::new(),
        code: None,
    }
}

impl Case {
    fn also(mut self, file: &'static str, contents: impl Into<Vec<u8>>) -> Case {
        self.files.push((file, contents.into()));
        self
    }
    fn args(mut self, args: &[&'static str]) -> Case {
        self.args = args.to_vec();
        self
    }
    fn strict(mut self) -> Case {
        self.flags.push("--strict");
        self
    }
    fn flags(mut self, flags: &[&'static str]) -> Case {
        self.flags.extend_from_slice(flags);
        self
    }
    fn absent(mut self, words: &[&'static str]) -> Case {
        self.absent.extend_from_slice(words);
        self
    }
    fn code(mut self, code: &'static str) -> Case {
        self.code = Some(code);
        self
    }
}

/// Every code the loader has, as `diag::Code::as_str` spells it.
const ALL_CODES: [&str; 22] = [
    "read",
    "syntax",
    "unknown-key",
    "missing-field",
    "wrong-type",
    "bad-id",
    "bad-date",
    "bad-value",
    "duplicate-id",
    "self-cite",
    "undeclared-source",
    "undeclared-claim",
    "cites-later",
    "likely-typo",
    "deny-cites-supporter",
    "basis-with-cites",
    "retraction",
    "id-style",
    "ignored-columns",
    "future-date",
    "ignored-sheet",
    "conflict",
];

const DECLARED: &str = r#"[[sources]]
id = "alalam"

[[claims]]
id = "in-libya"
text = "Abu Bakr al-Baghdadi has moved to Libya"
"#;

fn cases() -> Vec<Case> {
    vec![
        // ----------------------------------------------------------- syntax
        case(
            "toml: unclosed string",
            "case.toml",
            "[[reports]]\nsource = \"a\nclaim = \"b\"\n",
            2,
            &["error: case.toml:2:12: not valid TOML", "2 | source = \"a"],
        )
        .code("syntax"),
        case(
            "toml: a key given twice",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nsource = \"b\"\nclaim = \"c\"\n",
            2,
            &["case.toml:3:1", "not valid TOML", "duplicate key"],
        )
        .code("syntax"),
        case(
            "json: trailing comma",
            "case.json",
            "{\"reports\": [\n {\"source\": \"a\",}\n]}",
            2,
            &["error: case.json:2:17: not valid JSON", "key must be a string"],
        )
        .code("syntax"),
        case(
            "json: syntax error column counts characters, not bytes",
            "case.json",
            "{\"title\": \"ééééé\", \"x\": }",
            2,
            &["case.json:1:25: not valid JSON: expected value"],
        )
        .code("syntax"),
        case(
            "json: trailing characters",
            "case.json",
            "{\"reports\": []}\n{}",
            2,
            &["case.json:2:1", "trailing characters"],
        )
        .code("syntax"),
        case(
            "json: a key given twice is reported once",
            "case.json",
            "{\"reports\": [\n {\"source\": \"a\", \"claim\": \"b\", \"source\": \"c\"}\n]}",
            2,
            &[
                "case.json:2:32: key `source` is given twice in a report",
                "first given at case.json:2:3",
            ],
        )
        .absent(&["unknown key"])
        .code("syntax"),
        case(
            "csv: a row with too few cells",
            "case.csv",
            "source,claim,cites\na,b,c\nd,e\nf,g,h\n",
            2,
            &[
                "case.csv:3:1: this row has 2 cells, the header has 3 cells",
                "3 | d,e",
            ],
        )
        .code("syntax"),
        case(
            "csv: a quote never closed in the last column",
            "case.csv",
            "source,claim,quote\na,b,\"he said\nc,d,x\n",
            2,
            &[
                "case.csv:2:5: a quoted cell starts here and is never closed",
                "2 | a,b,\"he said",
                "everything after it was read as one cell",
            ],
        )
        .code("syntax"),
        case(
            "csv: a quote never closed, making a short row",
            "case.csv",
            "source,claim\na,b\n\"c,d\n",
            2,
            &["case.csv:3:1: a quoted cell starts here and is never closed"],
        )
        .absent(&["this row has"])
        .code("syntax"),
        case(
            "csv: a column given twice",
            "case.csv",
            "source,claim,date,date\na,b,2015,2016\n",
            2,
            &["case.csv:1:19: column `date` appears twice"],
        )
        .code("syntax"),
        case(
            "json: nested too deep",
            "case.json",
            format!("{{\"a\": {}{}}}", "[".repeat(200), "]".repeat(200)),
            2,
            &["case.json:1:70: nested more than 64 levels deep"],
        )
        .code("syntax"),
        case(
            "json: the top level is an array",
            "case.json",
            "[\n {\"source\": \"a\", \"claim\": \"b\"}\n]",
            2,
            &[
                "case.json:1:1: the case is an array, not an object",
                "one object with the keys title, sources, claims and reports",
            ],
        )
        .code("wrong-type"),
        // ------------------------------------------------------ unknown keys
        case(
            "toml: `cite` for `cites`",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nclaim = \"b\"\ncite = [\"c\"]\n",
            2,
            &[
                "error: case.toml:4:1: unknown key `cite` in a report",
                "4 | cite = [\"c\"]",
                "help: did you mean `cites`?",
            ],
        )
        .code("unknown-key"),
        case(
            "toml: `[[source]]` for `[[sources]]`",
            "case.toml",
            "[[source]]\nid = \"a\"\n",
            2,
            &[
                "case.toml:1:3: unknown key `source` in the case",
                "did you mean `sources`?",
            ],
        )
        .code("unknown-key"),
        case(
            "toml: misspelt key in an inline table",
            "case.toml",
            "reports = [\n  {source = \"a\", claim = \"b\", stnace = \"deny\"},\n]\n",
            2,
            &["case.toml:2:31: unknown key `stnace`", "did you mean `stance`?"],
        )
        .code("unknown-key"),
        case(
            "json: `cite` for `cites`",
            "case.json",
            "{\"reports\": [\n {\"source\": \"a\", \"claim\": \"b\", \"cite\": [\"c\"]}\n]}",
            2,
            &[
                "case.json:2:32: unknown key `cite` in a report",
                "did you mean `cites`?",
            ],
        )
        .code("unknown-key"),
        case(
            "json: a key nothing is close to",
            "case.json",
            "{\"sources\": [\n {\"id\": \"a\", \"publisher\": \"b\"}\n]}",
            2,
            &[
                "case.json:2:14: unknown key `publisher` in a source",
                "the keys of a source are id, name, kind, country, reliability, url, notes",
            ],
        )
        .code("unknown-key"),
        case(
            "csv: column `cite` for `cites`",
            "case.csv",
            "source,claim,cite\na,b,c\n",
            2,
            &[
                "case.csv:1:14: unknown column `cite`",
                "did you mean `cites`?",
            ],
        )
        .code("unknown-key"),
        case(
            "csv: column `Sorce` is not also reported missing",
            "case.csv",
            "Sorce,claim\na,b\n",
            2,
            &["case.csv:1:1: unknown column `Sorce`", "did you mean `source`?"],
        )
        .absent(&["has no `source` column"])
        .code("unknown-key"),
        // ---------------------------------------------------- missing fields
        case(
            "toml: a report without source",
            "case.toml",
            "[[reports]]\nclaim = \"b\"\n",
            2,
            &[
                "case.toml:1:1: a report has no `source`",
                "`source` is required in a report",
            ],
        )
        .code("missing-field"),
        case(
            "toml: a claim without text",
            "case.toml",
            "title = \"t\"\n\n[[claims]]\nid = \"c\"\n",
            2,
            &["case.toml:3:1: a claim has no `text`"],
        )
        .code("missing-field"),
        case(
            "json: a source without id",
            "case.json",
            "{\"sources\": [\n  {\"name\": \"Fars\"}\n]}",
            2,
            &["case.json:2:3: a source has no `id`"],
        )
        .code("missing-field"),
        case(
            "json: a report without claim",
            "case.json",
            "{\"reports\": [\n  {\"source\": \"a\"},\n  {\"source\": \"b\", \"claim\": \"c\"}\n]}",
            2,
            &["case.json:2:3: a report has no `claim`"],
        )
        .code("missing-field"),
        case(
            "csv: an empty source cell",
            "case.csv",
            "source,claim\n,b\n",
            2,
            &[
                "case.csv:2:1: the `source` cell is empty",
                "every report needs its source",
            ],
        )
        .code("missing-field"),
        case(
            "csv: an empty claim cell",
            "case.csv",
            "source,claim\na,b\na,\n",
            2,
            &["case.csv:3:3: the `claim` cell is empty"],
        )
        .code("missing-field"),
        case(
            "csv: no claim column",
            "case.csv",
            "source,cites\na,b\n",
            2,
            &[
                "case.csv:1:1: the header has no `claim` column",
                "its header is \"source,cites\"",
            ],
        )
        .code("missing-field"),
        case(
            "csv: an empty file",
            "case.csv",
            "",
            2,
            &["case.csv:1:1: the table has no header row"],
        )
        .code("missing-field"),
        // -------------------------------------------------------- wrong type
        case(
            "toml: cites as a string",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nclaim = \"b\"\ncites = \"c\"\n",
            2,
            &[
                "case.toml:4:9: `cites` in a report must be an array of source ids, not a string (\"c\")",
                "write a list: cites = [\"c\"]",
            ],
        )
        .code("wrong-type"),
        case(
            "json: cites as a string",
            "case.json",
            "{\"reports\": [{\"source\": \"a\", \"claim\": \"b\", \"cites\": \"c\"}]}",
            2,
            &[
                "case.json:1:53: `cites` in a report must be an array of source ids",
                "write a list: \"cites\": [\"c\"]",
            ],
        )
        .code("wrong-type"),
        case(
            "json: a number among the cited ids",
            "case.json",
            "{\"reports\": [\n {\"source\": \"a\", \"claim\": \"b\", \"cites\": [\"c\", 4]}\n]}",
            2,
            &["case.json:2:47: `cites` in a report must be an array of source ids, not an integer (4)"],
        )
        .code("wrong-type"),
        case(
            "json: id as an integer",
            "case.json",
            "{\"sources\": [\n {\"id\": 12}\n]}",
            2,
            &[
                "case.json:2:9: `id` in a source must be a string, not an integer (12)",
                "put the value in quotes: \"12\"",
            ],
        )
        .code("wrong-type"),
        case(
            "toml: date as an integer",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nclaim = \"b\"\ndate = 2015\n",
            2,
            &[
                "case.toml:4:8: `date` in a report must be a string, not an integer (2015)",
                "put the year in quotes: \"2015\"",
            ],
        )
        .code("wrong-type"),
        case(
            "json: date as an integer",
            "case.json",
            "{\"reports\": [\n {\"source\": \"a\", \"claim\": \"b\", \"date\": 2015}\n]}",
            2,
            &["case.json:2:40: `date` in a report must be a string, not an integer (2015)"],
        )
        .code("wrong-type"),
        case(
            "toml: date with a time",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nclaim = \"b\"\ndate = 2015-12-09T10:00:00\n",
            2,
            &[
                "case.toml:4:8: `date` in a report must be a date without a time",
                "write `date = \"2015-12-09\"`",
            ],
        )
        .code("wrong-type"),
        case(
            "toml: [reports] as one table",
            "case.toml",
            "[reports]\nsource = \"a\"\nclaim = \"b\"\n",
            2,
            &[
                "case.toml:1:1: `reports` must be an array of tables, not a table",
                "write each one under its own [[reports]] header",
            ],
        )
        .code("wrong-type"),
        case(
            "json: sources as an object",
            "case.json",
            "{\"sources\": {\"id\": \"a\"}}",
            2,
            &["case.json:1:13: `sources` must be an array of objects, not an object"],
        )
        .code("wrong-type"),
        // --------------------------------------------------------------- ids
        case(
            "toml: an id with a capital and a space",
            "case.toml",
            "[[sources]]\nid = \"Fars News\"\n",
            2,
            &[
                "case.toml:2:6: source id \"Fars News\" is not a valid id",
                "did you mean `fars-news`?",
            ],
        )
        .code("bad-id"),
        case(
            "csv: an id with a capital and a space is kept, with one style warning",
            "case.csv",
            "source,claim\nFars News,in-libya\n@FarsNews_Agency,in-libya\n",
            0,
            &[
                "warning: case.csv:2:1: 2 ids of this table, such as \"Fars News\", are not in the form of TOML and JSON ids",
                "the ids are kept as written",
            ],
        )
        .code("id-style"),
        case(
            "csv: an id with a control character",
            "case.csv",
            "source,claim\nfars\u{7},in-libya\n",
            2,
            &["case.csv:2:1: source \"fars\\u{7}\" holds a control character"],
        )
        .code("bad-id"),
        case(
            "json: a cited id with a space",
            "case.json",
            "{\"reports\": [\n {\"source\": \"blog\", \"claim\": \"b\", \"cites\": [\"Al Alam\"]}\n]}",
            2,
            &[
                "case.json:2:45: cited source \"Al Alam\" is not a valid id",
                "did you mean `al-alam`?",
            ],
        )
        .code("bad-id"),
        case(
            "toml: an empty claim id",
            "case.toml",
            "[[claims]]\nid = \"\"\ntext = \"t\"\n",
            2,
            &["case.toml:2:6: claim id is empty"],
        )
        .code("bad-id"),
        // ------------------------------------------------------------- dates
        case(
            "toml: month 13",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nclaim = \"b\"\ndate = \"2015-13\"\n",
            2,
            &[
                "case.toml:4:8: date \"2015-13\" is not in the calendar",
                "check the month (01-12)",
            ],
        )
        .code("bad-date"),
        case(
            "json: 29 February of a common year",
            "case.json",
            "{\"reports\": [\n {\"source\": \"a\", \"claim\": \"b\", \"date\": \"2015-02-29\"}\n]}",
            2,
            &["case.json:2:40: date \"2015-02-29\" is not in the calendar"],
        )
        .code("bad-date"),
        case(
            "csv: a date with slashes",
            "case.csv",
            "source,claim,date\na,b,12/2015\n",
            2,
            &[
                "case.csv:2:5: date \"12/2015\" is not YYYY, YYYY-MM or YYYY-MM-DD",
                "`2015`, `2015-12` or `2015-12-09`",
            ],
        )
        .code("bad-date"),
        // ----------------------------------------- kinds, stances and grades
        case(
            "toml: a misspelt kind",
            "case.toml",
            "[[sources]]\nid = \"a\"\nkind = \"outlett\"\n",
            2,
            &["case.toml:3:8: unknown kind \"outlett\"", "did you mean `outlet`?"],
        )
        .code("bad-value"),
        case(
            "json: a kind in other words",
            "case.json",
            "{\"sources\": [\n {\"id\": \"a\", \"kind\": \"newspaper\"}\n]}",
            2,
            &[
                "case.json:2:22: unknown kind \"newspaper\"",
                "did you mean `outlet`?",
            ],
        )
        .code("bad-value"),
        case(
            "toml: a word that is no kind",
            "case.toml",
            "[[sources]]\nid = \"a\"\nkind = \"zzz\"\n",
            2,
            &[
                "case.toml:3:8: unknown kind \"zzz\"",
                "a kind is one of outlet, person, agency, document, social, anonymous, unknown",
            ],
        )
        .code("bad-value"),
        case(
            "json: a misspelt stance",
            "case.json",
            "{\"reports\": [\n {\"source\": \"a\", \"claim\": \"b\", \"stance\": \"suport\"}\n]}",
            2,
            &[
                "case.json:2:42: unknown stance \"suport\"",
                "did you mean `support`?",
            ],
        )
        .code("bad-value"),
        case(
            "csv: a stance in other words",
            "case.csv",
            "source,claim,stance\na,b,denies\n",
            2,
            &["case.csv:2:5: unknown stance \"denies\"", "did you mean `deny`?"],
        )
        .code("bad-value"),
        case(
            "toml: a lowercase grade",
            "case.toml",
            "[[sources]]\nid = \"a\"\nreliability = \"b\"\n",
            2,
            &[
                "case.toml:3:15: reliability \"b\" is not a grade from A to F",
                "did you mean `B`?",
            ],
        )
        .code("bad-value"),
        case(
            "json: a grade with the credibility",
            "case.json",
            "{\"sources\": [\n {\"id\": \"a\", \"reliability\": \"B2\"}\n]}",
            2,
            &[
                "case.json:2:29: reliability \"B2\" is not a grade from A to F",
                "credibility (1-6) is not part of it: did you mean `B`?",
            ],
        )
        .code("bad-value"),
        case(
            "toml: a grade after F",
            "case.toml",
            "[[sources]]\nid = \"a\"\nreliability = \"G\"\n",
            2,
            &["reliability \"G\" is not a grade from A to F", "A (completely reliable) to F"],
        )
        .code("bad-value"),
        // -------------------------------------------------------- duplicates
        case(
            "toml: a source declared twice",
            "case.toml",
            "[[sources]]\nid = \"a\"\n\n[[sources]]\nid = \"a\"\n",
            2,
            &[
                "case.toml:5:6: source `a` is declared twice",
                "first declared at case.toml:2:6",
            ],
        )
        .code("duplicate-id"),
        case(
            "json: a claim declared twice",
            "case.json",
            "{\"claims\": [\n {\"id\": \"c\", \"text\": \"t\"},\n {\"id\": \"c\", \"text\": \"u\"}\n]}",
            2,
            &[
                "case.json:3:9: claim `c` is declared twice",
                "first declared at case.json:2:9",
            ],
        )
        .code("duplicate-id"),
        case(
            "a source declared in two files",
            "a.toml",
            "[[sources]]\nid = \"fars\"\n",
            2,
            &[
                "b.json:2:9: source `fars` is declared twice",
                "first declared at a.toml:2:6",
            ],
        )
        .also("b.json", "{\"sources\": [\n {\"id\": \"fars\"}\n]}")
        .code("duplicate-id"),
        case(
            "a claim declared in two files",
            "a.toml",
            "[[claims]]\nid = \"c\"\ntext = \"t\"\n",
            2,
            &[
                "b.toml:3:6: claim `c` is declared twice",
                "first declared at a.toml:2:6",
            ],
        )
        .also("b.toml", "\n[[claims]]\nid = \"c\"\ntext = \"t\"\n")
        .code("duplicate-id"),
        // --------------------------------------------------------- self-cite
        case(
            "toml: a report citing its own source",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nclaim = \"b\"\ncites = [\"x\", \"a\"]\n",
            2,
            &[
                "case.toml:4:15: the report by `a` cites its own source",
                "leave the source itself out",
            ],
        )
        .code("self-cite"),
        case(
            "json: a report citing its own source",
            "case.json",
            "{\"reports\": [\n {\"source\": \"a\", \"claim\": \"b\", \"cites\": [\"a\"]}\n]}",
            2,
            &["case.json:2:42: the report by `a` cites its own source"],
        )
        .code("self-cite"),
        case(
            "csv: a report citing its own source",
            "case.csv",
            "source,claim,cites\na,b,x;a\n",
            2,
            &["case.csv:2:5: the report by `a` cites its own source"],
        )
        .code("self-cite"),
        // ------------------------------------------ undeclared ids (warnings)
        case(
            "toml: an undeclared source one letter from a declared one",
            "case.toml",
            format!("{DECLARED}\n[[reports]]\nsource = \"alalma\"\nclaim = \"in-libya\"\n"),
            2,
            &[
                "error: case.toml:9:10: source `alalma` is not declared; did you mean `alalam`?",
                "write `alalam`, or declare `alalma` under [[sources]] if it is another source",
            ],
        )
        .code("likely-typo"),
        case(
            "toml: a declared source's name used as an id",
            "case.toml",
            "[[sources]]\nid = \"fars-news\"\nname = \"Fars\"\n\n[[reports]]\nsource = \"blog\"\nclaim = \"c\"\ncites = [\"fars\"]\n",
            2,
            &[
                "error: case.toml:8:10: source `fars` is not declared; it is the name of the declared source `fars-news`",
                "write its id, `fars-news`",
            ],
        )
        .code("likely-typo"),
        case(
            "toml: an undeclared source like a declared one",
            "case.toml",
            format!("{DECLARED}\n[[reports]]\nsource = \"alalam-tv\"\nclaim = \"in-libya\"\n"),
            0,
            &[
                "warning: case.toml:9:10: source `alalam-tv` is used but not declared",
                "did you mean `alalam`? If not, declare it under [[sources]] with its kind",
            ],
        )
        .absent(&["error"])
        .code("undeclared-source"),
        case(
            "toml: an undeclared source with --strict",
            "case.toml",
            format!("{DECLARED}\n[[reports]]\nsource = \"alalam-tv\"\nclaim = \"in-libya\"\n"),
            2,
            &[
                "error: case.toml:9:10: source `alalam-tv` is used but not declared",
                "did you mean `alalam`?",
            ],
        )
        .strict()
        .code("undeclared-source"),
        case(
            "json: an undeclared cited source",
            "case.json",
            "{\"sources\": [{\"id\": \"alalam\"}],\n \"reports\": [\n {\"source\": \"alalam\", \"claim\": \"c\", \"cites\": [\"farsnews\"]}\n]}",
            0,
            &[
                "warning: case.json:3:47: source `farsnews` is used but not declared",
                "declare it under [[sources]]",
                "never counted as a named origin",
            ],
        )
        .code("undeclared-source"),
        case(
            "toml: an undeclared claim one edit from a declared one",
            "case.toml",
            format!("{DECLARED}\n[[reports]]\nsource = \"alalam\"\nclaim = \"in-lybia\"\n"),
            2,
            &[
                "error: case.toml:10:9: claim `in-lybia` is not declared; did you mean `in-libya`?",
                "declare `in-lybia` under [[claims]] if it is another claim",
            ],
        )
        .code("likely-typo"),
        case(
            "toml: an undeclared claim",
            "case.toml",
            format!("{DECLARED}\n[[reports]]\nsource = \"alalam\"\nclaim = \"tunisia\"\n"),
            0,
            &[
                "warning: case.toml:10:9: claim `tunisia` is used but not declared",
                "declare it under [[claims]] with its text",
            ],
        )
        .code("undeclared-claim"),
        case(
            "a misspelt source in a CSV next to declarations",
            "decl.toml",
            DECLARED,
            2,
            &[
                "error: reports.csv:3:1: source `al-alam` is not declared; did you mean `alalam`?",
            ],
        )
        .also("reports.csv", "source,claim\nalalam,in-libya\nal-alam,in-libya\n")
        .code("likely-typo"),
        case(
            "ids differing in digits only are not typos",
            "case.toml",
            "[[sources]]\nid = \"s10\"\n\n[[reports]]\nsource = \"s11\"\nclaim = \"c\"\n",
            0,
            &["warning: case.toml:5:10: source `s11` is used but not declared"],
        )
        .absent(&["error"]),
        // --------------------------------------------- basis and retract
        case(
            "toml: a misspelt basis",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nclaim = \"c\"\nbasis = \"unattributed\"\n",
            2,
            &[
                "error: case.toml:4:9: unknown basis \"unattributed\"",
                "did you mean `undisclosed`?",
            ],
        )
        .code("bad-value"),
        case(
            "csv: a misspelt basis",
            "case.csv",
            "source,claim,basis\na,c,firsthand\n",
            2,
            &[
                "error: case.csv:2:5: unknown basis \"firsthand\"",
                "did you mean `first-hand`?",
            ],
        )
        .code("bad-value"),
        case(
            "json: basis on a report that cites",
            "case.json",
            "{\"reports\": [{\"source\": \"a\", \"claim\": \"c\", \"cites\": [\"b\"], \"basis\": \"undisclosed\"}]}",
            0,
            &[
                "warning: case.json:1:69: `basis = \"undisclosed\"` on a report that cites sources",
                "drop the basis, or the cites",
            ],
        )
        .code("basis-with-cites"),
        case(
            "toml: a deny report citing a supporter",
            "case.toml",
            "[[reports]]\nsource = \"doc\"\nclaim = \"c\"\n\n[[reports]]\nsource = \"agency\"\nclaim = \"c\"\nstance = \"deny\"\ncites = [\"doc\"]\n",
            0,
            &[
                "warning: case.toml:5:1: the deny report by `agency` cites `doc`, which supports `c`",
                "a first-hand denial",
            ],
        )
        .code("deny-cites-supporter"),
        case(
            "csv: a retraction without support",
            "case.csv",
            "source,claim,stance\na,c,retract\n",
            0,
            &[
                "warning: case.csv:2:1: `a` retracts `c`, but has no support report of it",
                "record this report as `deny`",
            ],
        )
        .code("retraction"),
        case(
            "toml: a retraction that cites",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nclaim = \"c\"\n\n[[reports]]\nsource = \"a\"\nclaim = \"c\"\nstance = \"withdrawn\"\n",
            2,
            &["unknown stance \"withdrawn\"", "did you mean `retract`?"],
        )
        .code("bad-value"),
        case(
            "toml: a retraction that cites sources",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nclaim = \"c\"\n\n[[reports]]\nsource = \"a\"\nclaim = \"c\"\nstance = \"retract\"\ncites = [\"b\"]\n",
            0,
            &["warning: case.toml:5:1: the retraction by `a` of `c` cites sources"],
        )
        .code("retraction"),
        case(
            "csv: a bare table of reports is not warned about",
            "case.csv",
            "source,claim,cites\nblog,in-libya,alalam\n",
            0,
            &[],
        )
        .absent(&["warning", "error"])
        .strict(),
        // ---------------------------------------- cites-a-later-report warning
        case(
            "toml: a report citing a later report",
            "case.toml",
            "[[reports]]\nsource = \"a\"\nclaim = \"b\"\ndate = \"2016\"\n\n[[reports]]\nsource = \"c\"\nclaim = \"b\"\ncites = [\"a\"]\ndate = \"2015-12\"\n",
            0,
            &[
                "warning: case.toml:6:1: cites a later report: `c` (2015-12) cites `a`, whose earliest report of `b` is dated 2016",
            ],
        )
        .code("cites-later"),
        case(
            "csv: a report citing a later report, with --strict",
            "case.csv",
            "source,claim,cites,date\na,b,,2015-12-09\nc,b,a,2015-11\n",
            2,
            &["error: case.csv:3:1: cites a later report: `c` (2015-11) cites `a`"],
        )
        .strict()
        .code("cites-later"),
        case(
            "csv: a partial date that may be the same day is not warned about",
            "case.csv",
            "source,claim,cites,date\na,b,,2015-12-09\nc,b,a,2015-12\n",
            0,
            &[],
        )
        .absent(&["warning"]),
        // ------------------------------------------------ reading the input
        case("a file that does not exist", "present.toml", "", 2, &[
            "error: nope.toml: cannot read nope.toml",
            "check the path",
        ])
        .args(&["nope.toml"])
        .code("read"),
        case(
            "a file that is not UTF-8",
            "case.toml",
            b"[[reports]]\nsource = \"a\xff\"\nclaim = \"b\"\n".to_vec(),
            2,
            &["case.toml:2:12: the file is not UTF-8 text", "save the file as UTF-8"],
        )
        .code("syntax"),
        case(
            "csv: a row that is not UTF-8",
            "case.csv",
            b"source,claim\na\xff,b\n".to_vec(),
            2,
            &["case.csv:2:2: the file is not UTF-8 text"],
        )
        .code("syntax"),
        stdin_case(
            "empty standard input",
            "",
            2,
            &["<stdin>: standard input is empty", "rumorgraph validate - < case.toml"],
        ),
        // ------------------------------------------------- line positions
        case(
            "csv: Windows line endings keep the line numbers",
            "case.csv",
            "source,claim,stance\r\na,b,support\r\nc,d,bad\r\n",
            2,
            &["case.csv:3:5: unknown stance \"bad\"", "3 | c,d,bad"],
        )
        .code("bad-value"),
        case(
            "csv: a cell after a quoted line break",
            "case.csv",
            "source,claim,quote,stance\na,b,\"line one\nline two\",nope\n",
            2,
            &["case.csv:3:11: unknown stance \"nope\"", "3 | line two\",nope"],
        )
        .code("bad-value"),
        case(
            "toml: an unclosed string on a Windows line",
            "case.toml",
            "title = \"x\r\n",
            2,
            &["case.toml:1:", "not valid TOML", "1 | title = \"x"],
        )
        .code("syntax"),
        case(
            "toml: Windows line endings",
            "case.toml",
            "[[reports]]\r\nsource = \"a\"\r\nclaim = \"b\"\r\ncite = []\r\n",
            2,
            &["case.toml:4:1: unknown key `cite`"],
        )
        .code("unknown-key"),
        case(
            "several errors in one file, in the order of their lines",
            "case.toml",
            "[[sources]]\nid = \"a\"\nkind = \"outlett\"\n\n[[reports]]\nsource = \"a\"\nclaim = \"b\"\ndate = \"2015-13\"\n",
            2,
            &[
                "case.toml:3:8: unknown kind",
                "case.toml:8:8: date \"2015-13\"",
                "the case has 2 errors",
            ],
        ),
        // --------------------------------------------------- standard input
        stdin_case(
            "toml on standard input",
            "[[reports]]\nsource = \"a\"\nclaim = \"b\"\ncite = []\n",
            2,
            &["<stdin>:4:1: unknown key `cite` in a report", "did you mean `cites`?"],
        ),
        stdin_case(
            "json on standard input",
            "{\"reports\": [{\"source\": \"a\", \"claim\": 3}]}",
            2,
            &["<stdin>:1:39: `claim` in a report must be a string, not an integer (3)"],
        ),
        stdin_case(
            "json syntax error on standard input",
            "{\"reports\": [\n",
            2,
            &["<stdin>:2:1: not valid JSON"],
        ),
        // ------------------------------------------- tables as researchers keep them
        case(
            "csv: a table separated by semicolons",
            "case.csv",
            "source;claim;cites\nblog;c;fars\n",
            0,
            &[],
        )
        .absent(&["error", "warning"]),
        case(
            "csv: a table separated by tabs",
            "case.tsv",
            "source\tclaim\tcites\nblog\tc\tfars;alalam\n",
            0,
            &[],
        )
        .absent(&["error", "warning"]),
        case(
            "csv: capitalised and spaced headers and values",
            "case.csv",
            " Source , Claim ,Cites, Stance ,Basis\nblog,c,, Support ,First-Hand\nnews,c,,DENY ,\n",
            0,
            &[],
        )
        .absent(&["error", "warning"]),
        case(
            "csv: a row separated by semicolons under a header with commas",
            "case.csv",
            "source,claim,cites\nblog;c;fars\n",
            2,
            &[
                "case.csv:2:1: this row has 1 cell, the header has 3 cells",
                "this row holds semicolons",
            ],
        )
        .code("syntax"),
        case(
            "csv: a header that names no table",
            "case.csv",
            "who,what\nblog,c\n",
            2,
            &["the header \"who,what\" names no table the format has", "--columns"],
        )
        .code("missing-field"),
        case(
            "csv: a table of sources with a bad kind",
            "sources.csv",
            "id,name,kind\nfars,Fars News,newspaper\n",
            2,
            &["sources.csv:2:16: unknown kind \"newspaper\"", "did you mean `outlet`?"],
        )
        .code("bad-value"),
        case(
            "csv: a table of sources without an id",
            "sources.csv",
            "id,name,kind\n,Fars News,outlet\n",
            2,
            &["sources.csv:2:1: the `id` cell is empty"],
        )
        .code("missing-field"),
        case(
            "csv: tables of sources and claims beside a table of reports",
            "sources.csv",
            "id,kind\nfars,outlet\nblog,social\n",
            0,
            &[],
        )
        .also("claims.csv", "ID,Text\nc,It happened\n")
        .also("reports.csv", "source,claim,cites\nfars,c,\nblog,c,fars\n")
        .absent(&["error", "warning"]),
        case(
            "csv: one sheet that declares its sources and claims",
            "case.csv",
            "source,claim,cites,source_kind,source_name,claim_text\nfars,c,,outlet,Fars News,It happened\nblog,c,fars,social,,It happened\n",
            0,
            &[],
        )
        .absent(&["error"]),
        case(
            "csv: one sheet that gives a source two kinds",
            "case.csv",
            "source,claim,source_kind\nfars,c,outlet\nfars,c,anonymous\n",
            2,
            &["case.csv:3:8: the kind of source `fars` is \"anonymous\" here but \"outlet\" at case.csv:2:8"],
        )
        .code("conflict"),
        case(
            "csv: one sheet that gives a claim two texts",
            "case.csv",
            "source,claim,claim_text\nfars,c,It happened\nblog,c,It did not happen\n",
            2,
            &["the text of claim `c` is \"It did not happen\" here but \"It happened\""],
        )
        .code("conflict"),
        case(
            "csv: another tool's table mapped with --columns",
            "hoaxy.csv",
            "tweet_id,from_user_screen_name,to_user_screen_name,tweet_created_at,title\n1,@FarsNews_Agency,@blogger,2016-03-07 10:15:00,Baghdadi in Libya\n",
            0,
            &[
                "warning: hoaxy.csv:1:1: this column is not mapped by --columns and left out: `tweet_id`",
                "are not in the form of TOML and JSON ids",
            ],
        )
        .flags(&["--columns", "source=to_user_screen_name,cites=from_user_screen_name,claim=title,date=tweet_created_at"])
        .code("ignored-columns"),
        case(
            "csv: cited ids split with --cites-sep",
            "case.csv",
            "source,claim,cites\nblog,c,fars|alalam\n",
            0,
            &[],
        )
        .flags(&["--cites-sep", "|"])
        .absent(&["error", "warning"]),
        case(
            "toml: two cited ids in one string",
            "case.toml",
            "[[reports]]\nsource = \"blog\"\nclaim = \"c\"\ncites = [\"fars, alalam\"]\n",
            2,
            &["cited source \"fars, alalam\" is not a valid id", "did you mean [\"fars\", \"alalam\"]?"],
        )
        .code("bad-id"),
        case(
            "csv: two declared ids in one cell",
            "decl.toml",
            "[[sources]]\nid = \"fars\"\n[[sources]]\nid = \"alalam\"\n",
            2,
            &["source `fars, alalam` is not declared; it is `fars` and `alalam` written as one", "separate several cited ids in one cell with `;`"],
        )
        .also("case.csv", "source,claim,cites\nblog,c,\"fars, alalam\"\n")
        .code("likely-typo"),
        case(
            "csv: a declared source cited by its name",
            "decl.toml",
            "[[sources]]\nid = \"fars\"\nname = \"Fars News\"\n",
            2,
            &["source `Fars News` is not declared; it is the name of the declared source `fars`"],
        )
        .also("case.csv", "source,claim,cites\nblog,c,Fars News\n")
        .code("likely-typo"),
        case(
            "csv: a date without leading zeros",
            "case.csv",
            "source,claim,date\nblog,c,2016-2-3\n",
            2,
            &["case.csv:2:8: date \"2016-2-3\" is not YYYY, YYYY-MM or YYYY-MM-DD", "did you mean `2016-02-03`?"],
        )
        .code("bad-date"),
        case(
            "csv: a date written day/month/year",
            "case.csv",
            "source,claim,date\nblog,c,30/01/2016\n",
            2,
            &["did you mean `2016-01-30`? (read as day/month/year, since 30 is no month"],
        )
        .code("bad-date"),
        case(
            "csv: a date that could be day/month or month/day",
            "case.csv",
            "source,claim,date\nblog,c,01/02/2016\n",
            2,
            &["`2016-02-01` (day/month) or `2016-01-02` (month/day)? Both are possible"],
        )
        .code("bad-date"),
        case(
            "toml: a date with a month name",
            "case.toml",
            "[[reports]]\nsource = \"blog\"\nclaim = \"c\"\ndate = \"Feb 2016\"\n",
            2,
            &["did you mean `2016-02`?"],
        )
        .code("bad-date"),
        case(
            "csv: a date later than today",
            "case.csv",
            "source,claim,date\nblog,c,2999-01-01\n",
            0,
            &["warning: case.csv:2:8: date 2999-01-01 is later than today"],
        )
        .code("future-date"),
        case(
            "csv: a timestamp is read as its day",
            "case.csv",
            "source,claim,date\nblog,c,2016-03-07T10:15:00Z\n",
            0,
            &[],
        )
        .absent(&["error", "warning"]),
        // ------------------------------------------------------------ workbooks
        case(
            "xlsx: sources, claims and reports sheets",
            "case.xlsx",
            util::xlsx(&[
                ("sources", vec![vec![T("id"), T("kind")], vec![T("fars"), T("outlet")]]),
                ("claims", vec![vec![T("id"), T("text")], vec![T("c"), T("It happened")]]),
                ("Reports", vec![vec![T("source"), T("claim"), T("date")], vec![T("fars"), T("c"), D(2016, 3, 7)]]),
            ]),
            0,
            &[],
        )
        .absent(&["error", "warning"]),
        case(
            "xlsx: a bad kind names its sheet and cell",
            "case.xlsx",
            util::xlsx(&[
                ("sources", vec![vec![T("id"), T("name"), T("kind")], vec![T("fars"), T("Fars"), T("outlet")], vec![T("blog"), E, T("bloggg")]]),
                ("reports", vec![vec![T("source"), T("claim")], vec![T("blog"), T("c")]]),
            ]),
            2,
            &["error: case.xlsx: sources!C3: unknown kind \"bloggg\""],
        )
        .code("bad-value"),
        case(
            "xlsx: an empty claim cell names its cell",
            "case.xlsx",
            util::xlsx(&[("reports", vec![vec![T("source"), T("claim")], vec![T("blog"), T("c")], vec![T("fars"), E]])]),
            2,
            &["error: case.xlsx: reports!B3: the `claim` cell is empty"],
        )
        .code("missing-field"),
        case(
            "xlsx: a year typed as a number and a date typed as a date",
            "case.xlsx",
            util::xlsx(&[("Sheet1", vec![vec![T("source"), T("claim"), T("date")], vec![T("blog"), T("c"), N(2016.0)], vec![T("fars"), T("c"), D(2015, 12, 9)]])]),
            0,
            &[],
        )
        .absent(&["error", "warning"]),
        case(
            "xlsx: a sheet with another name is left out",
            "case.xlsx",
            util::xlsx(&[
                ("reports", vec![vec![T("source"), T("claim")], vec![T("blog"), T("c")]]),
                ("Notes", vec![vec![T("anything")]]),
            ]),
            0,
            &["warning: case.xlsx: sheets not read: `Notes`"],
        )
        .code("ignored-sheet"),
        case(
            "xlsx: a text file with a workbook's name",
            "case.xlsx",
            "source,claim\nblog,c\n",
            2,
            &["error: case.xlsx: not a workbook that can be read"],
        )
        .code("syntax"),
        case(
            "xlsx: a bad date names its cell and suggests one",
            "case.xlsx",
            util::xlsx(&[("reports", vec![vec![T("source"), T("claim"), T("date")], vec![T("blog"), T("c"), T("29.12.2015")]])]),
            2,
            &["error: case.xlsx: reports!C2: date \"29.12.2015\" is not YYYY", "did you mean `2015-12-29`?"],
        )
        .code("bad-date"),
        case(
            "ods: an unknown column names its cell",
            "case.ods",
            util::ods(&[("reports", vec![vec![T("source"), T("claim"), T("cites"), T("quotes")], vec![T("blog"), T("c"), T("fars"), T("x")]])]),
            2,
            &["error: case.ods: reports!D1: unknown column `quotes`", "did you mean `quote`?"],
        )
        .code("unknown-key"),
        case(
            "ods: a bad stance names its cell",
            "case.ods",
            util::ods(&[("reports", vec![vec![T("source"), T("claim"), T("stance")], vec![T("blog"), T("c"), T("denies")]])]),
            2,
            &["error: case.ods: reports!C2: unknown stance \"denies\"", "did you mean `deny`?"],
        )
        .code("bad-value"),
        case(
            "ods: a date cell and a one-sheet declaration",
            "case.ods",
            util::ods(&[("reports", vec![
                vec![T("source"), T("claim"), T("date"), T("source_kind")],
                vec![T("fars"), T("c"), D(2015, 12, 9), T("Outlet")],
            ])]),
            0,
            &[],
        )
        .absent(&["error", "warning"]),
        case(
            "ods: one sheet that gives a source two kinds",
            "case.ods",
            util::ods(&[("reports", vec![
                vec![T("source"), T("claim"), T("source_kind")],
                vec![T("fars"), T("c"), T("outlet")],
                vec![T("fars"), T("c"), T("person")],
            ])]),
            2,
            &["error: case.ods: reports!C3: the kind of source `fars` is \"person\" here but \"outlet\" at case.ods: reports!C2"],
        )
        .code("conflict"),
    ]
}

/// Writes the case's files into a fresh directory; returns it and the file
/// arguments.
fn prepare(case: &Case) -> (tempfile::TempDir, Vec<&'static str>) {
    let dir = util::temp_dir();
    for (name, contents) in &case.files {
        util::write_file(&dir, name, contents);
    }
    let args = if case.args.is_empty() {
        case.files.iter().map(|(n, _)| *n).collect()
    } else {
        case.args.clone()
    };
    (dir, args)
}

#[test]
fn every_malformed_input_gets_its_message() {
    let cases = cases();
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let (dir, files) = prepare(case);
        let mut args = vec!["validate"];
        args.extend(&case.flags);
        args.extend(&files);
        let run = match &case.stdin {
            Some(input) => util::run_with_stdin(dir.path(), &args, input.clone()),
            None => util::run_in(dir.path(), &args),
        };
        let mut problems = Vec::new();
        if run.code != case.exit {
            problems.push(format!("exit code {}, expected {}", run.code, case.exit));
        }
        for word in &case.expect {
            if !run.stderr.contains(word) {
                problems.push(format!("stderr lacks {word:?}"));
            }
        }
        for word in &case.absent {
            if run.stderr.contains(word) {
                problems.push(format!("stderr has {word:?}"));
            }
        }
        if run.panicked() {
            problems.push("the program panicked".into());
        }
        if case.exit == 2 && !run.stdout.is_empty() {
            problems.push(format!("stdout is not empty: {:?}", run.stdout));
        }
        if case.exit == 0 && !run.stdout.contains("no errors") {
            problems.push(format!("stdout has no summary: {:?}", run.stdout));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n  {}\n  --- stderr ---\n{}",
                case.name,
                problems.join("\n  "),
                run.stderr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The codes of the messages the library gives for a case.
fn library_codes(case: &Case, dir: &std::path::Path, files: &[&str]) -> Vec<&'static str> {
    let inputs: Vec<Input> = files.iter().map(|f| Input::Path(dir.join(f))).collect();
    let flag = |name: &str| {
        case.flags
            .iter()
            .position(|f| *f == name)
            .and_then(|i| case.flags.get(i + 1))
    };
    let columns = flag("--columns")
        .map(|m| {
            m.split(',')
                .map(|p| {
                    let (a, b) = p.split_once('=').unwrap();
                    (a.to_owned(), b.to_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    let opts = LoadOptions {
        strict: case.flags.contains(&"--strict"),
        table: load::TableOptions {
            columns,
            cites_sep: flag("--cites-sep").and_then(|c| c.chars().next()),
        },
        ..Default::default()
    };
    match load::load(&inputs, &opts) {
        Ok(loaded) => loaded.warnings.iter().map(|d| d.code.as_str()).collect(),
        Err(Error::Invalid { diagnostics }) => {
            diagnostics.iter().map(|d| d.code.as_str()).collect()
        }
        Err(e) => panic!("{}: unexpected error {e}", case.name),
    }
}

#[test]
fn every_message_code_is_covered_and_named() {
    let cases = cases();
    let mut covered = BTreeSet::new();
    for case in cases.iter().filter(|c| c.stdin.is_none()) {
        let (dir, files) = prepare(case);
        let codes = library_codes(case, dir.path(), &files);
        if let Some(code) = case.code {
            assert!(
                codes.contains(&code),
                "{}: expected a `{code}` message, got {codes:?}",
                case.name
            );
            covered.insert(code);
        }
    }
    let all: BTreeSet<&str> = ALL_CODES.into_iter().collect();
    let missing: Vec<_> = all.difference(&covered).collect();
    assert!(missing.is_empty(), "no case produces {missing:?}");
}

#[test]
fn every_message_code_is_explained_in_the_format_doc() {
    let doc = util::repo_text("docs/format.md");
    for code in ALL_CODES {
        assert!(
            doc.contains(&format!("| `{code}` |")),
            "docs/format.md does not explain `{code}`"
        );
    }
}

#[test]
fn json_nested_a_hundred_thousand_levels_is_refused_without_crashing() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let dir = util::temp_dir();
    util::write_file(&dir, "deep.json", &deep);
    let run = util::run_in(dir.path(), ["validate", "deep.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("nested more than 64 levels deep"),
        "{}",
        run.stderr
    );
    assert!(!run.panicked());
}

// ------------------------------------------------------------ mutations

/// The characters that break a case file's structure most easily.
const NOISE: &[&str] = &[
    "\"", "'", "[", "]", "{", "}", "[[", "]]", ",", ":", "=", ";", "\n", "#", "\\", "\r\n", "é",
    "\u{feff}", "\0", "-", " ",
];

/// Deterministic mutants of `text`: truncations, deleted and doubled lines,
/// swapped characters, inserted and replaced punctuation.
fn mutants(text: &str, seed: u64, per_kind: usize) -> Vec<(String, String)> {
    let mut rng = Lcg::new(seed);
    let chars: Vec<char> = text.chars().collect();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = Vec::new();
    let step = (chars.len() / per_kind).max(1);
    for cut in (0..chars.len()).step_by(step) {
        out.push((
            format!("truncated at char {cut}"),
            chars[..cut].iter().collect(),
        ));
    }
    for _ in 0..per_kind {
        let i = rng.below(lines.len());
        let mut l = lines.clone();
        l.remove(i);
        out.push((format!("line {} deleted", i + 1), l.concat()));
    }
    for _ in 0..per_kind / 2 {
        let i = rng.below(lines.len());
        let mut l = lines.clone();
        l.insert(i, lines[i]);
        out.push((format!("line {} doubled", i + 1), l.concat()));
    }
    for _ in 0..per_kind {
        let i = rng.below(chars.len() - 1);
        let mut c = chars.clone();
        c.swap(i, i + 1);
        out.push((
            format!("chars {i} and {} swapped", i + 1),
            c.iter().collect(),
        ));
    }
    for _ in 0..per_kind {
        let i = rng.below(chars.len());
        let noise = rng.pick(NOISE);
        let mut s: String = chars[..i].iter().collect();
        s.push_str(noise);
        s.extend(&chars[i..]);
        out.push((format!("{noise:?} inserted at char {i}"), s));
    }
    for _ in 0..per_kind {
        let i = rng.below(chars.len());
        let noise = rng.pick(NOISE);
        let mut s: String = chars[..i].iter().collect();
        s.push_str(noise);
        s.extend(&chars[i + 1..]);
        out.push((format!("char {i} replaced by {noise:?}"), s));
    }
    out
}

fn examples() -> [(&'static str, Format); 3] {
    [
        ("data/example.toml", Format::Toml),
        ("data/example.json", Format::Json),
        ("data/example.csv", Format::Csv),
    ]
}

/// Mutants of each kind per example; `RUMORGRAPH_MUTANTS=5000 cargo test
/// mutated` searches much further (about 15 000 loads per 1000).
fn mutants_per_kind() -> usize {
    std::env::var("RUMORGRAPH_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60)
}

#[test]
fn mutated_examples_never_crash_the_loader() {
    let opts = LoadOptions::default();
    let mut total = 0;
    for (seed, (path, format)) in examples().into_iter().enumerate() {
        let lf = util::repo_text(path);
        // The same file saved with Windows line breaks.
        let crlf = lf.replace('\n', "\r\n");
        let name = path.rsplit('/').next().unwrap();
        for (variant, text) in [("", &lf), (" (CRLF)", &crlf)] {
            for (what, mutant) in mutants(text, seed as u64 + 1, mutants_per_kind()) {
                total += 1;
                let result = std::panic::catch_unwind(|| {
                    load::load_str(name, &mutant, format, &opts).map(|_| ())
                });
                let Ok(result) = result else {
                    panic!("{path}{variant}, {what}: the loader panicked on:\n{mutant:?}");
                };
                if let Err(e) = result {
                    let Error::Invalid { diagnostics } = &e else {
                        panic!("{path}{variant}, {what}: unexpected error {e}");
                    };
                    // Every message names the file; every rendering works.
                    for d in diagnostics {
                        assert_eq!(&*d.at.file, name, "{path}{variant}, {what}: {d}");
                        let _ = d.to_string();
                    }
                    assert!(
                        diagnostics.iter().any(|d| d.is_error()),
                        "{path}{variant}, {what}"
                    );
                }
            }
        }
    }
    assert!(total > 1800, "only {total} mutants");
}

#[test]
fn mutated_examples_never_crash_the_binary() {
    let dir = util::temp_dir();
    let mut runs = 0;
    for (seed, (path, _)) in examples().into_iter().enumerate() {
        let text = util::repo_text(path);
        let ext = path.rsplit('.').next().unwrap();
        let all = mutants(&text, seed as u64 + 100, 60);
        // A handful, spread over every kind of mutation.
        for (i, (what, mutant)) in all.iter().enumerate().step_by(all.len() / 8) {
            let name = format!("m{i}.{ext}");
            util::write_file(&dir, &name, mutant);
            let run = util::run_in(dir.path(), ["validate", &name]);
            runs += 1;
            assert!(
                run.code == 0 || run.code == 2,
                "{path}, {what}: exit code {}\n{}",
                run.code,
                run.stderr
            );
            assert!(!run.panicked(), "{path}, {what}: {}", run.stderr);
        }
        // Bytes that are not UTF-8, in the middle of the file.
        let mut bytes = text.clone().into_bytes();
        bytes.insert(bytes.len() / 2, 0xff);
        let name = format!("bytes.{ext}");
        util::write_file(&dir, &name, &bytes);
        let run = util::run_in(dir.path(), ["validate", &name]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("not UTF-8"), "{}", run.stderr);
        assert!(!run.panicked());
    }
    assert!(runs >= 24);
}

// ------------------------------------------------------- inputs untouched

#[test]
fn input_files_are_never_modified() {
    let dir = util::temp_dir();
    let mut files: Vec<PathBuf> = Vec::new();
    for (path, _) in examples() {
        let name = path.rsplit('/').next().unwrap();
        files.push(util::write_file(&dir, name, util::repo_text(path)));
    }
    files.push(util::write_file(
        &dir,
        "broken.toml",
        "[[reports]]\nsource = \"a\"\ncite = [\"b\"]\n",
    ));
    let before: Vec<_> = files
        .iter()
        .map(|f| {
            let meta = std::fs::metadata(f).unwrap();
            (
                std::fs::read(f).unwrap(),
                meta.modified().unwrap(),
                meta.len(),
            )
        })
        .collect();
    let listing = |dir: &std::path::Path| {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let names_before = listing(dir.path());

    for args in [
        vec!["validate", "example.toml"],
        vec!["validate", "example.json"],
        vec!["validate", "example.csv", "--strict"],
        vec!["validate", "example.toml", "example.csv"],
        vec!["validate", "broken.toml"],
        vec!["validate", "example.toml", "broken.toml", "-q"],
    ] {
        let run = util::run_in(dir.path(), &args);
        assert!(!run.panicked(), "{args:?}: {}", run.stderr);
    }
    let run = util::run_with_stdin(
        dir.path(),
        ["validate", "-"],
        util::repo_text("data/example.toml"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    for (f, (bytes, mtime, len)) in files.iter().zip(before) {
        let meta = std::fs::metadata(f).unwrap();
        assert_eq!(std::fs::read(f).unwrap(), bytes, "{} changed", f.display());
        assert_eq!(meta.modified().unwrap(), mtime, "{} touched", f.display());
        assert_eq!(meta.len(), len);
    }
    assert_eq!(
        listing(dir.path()),
        names_before,
        "files appeared or vanished"
    );
}
