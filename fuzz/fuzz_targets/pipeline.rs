//! Load (the format sniffed, as for standard input) → analyse → every
//! output → trace: whatever loads must go through every writer and trace
//! without a panic, and the JSON must parse. The page (`html`) is left
//! out: it runs Graphviz for its diagrams; its data are the same `trace`
//! and `dot` text fuzzed here. The case is also compared with itself by
//! `diff`, which must find no change.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rumorgraph::analysis::diff::diff;
use rumorgraph::analysis::{analyze, timeline, trace};
use rumorgraph::load::{load_str, Format, LoadOptions};
use rumorgraph::export::{self as report, Counting};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let format = Format::sniff(text);
    let Ok(loaded) = load_str("case", text, format, &LoadOptions::default()) else {
        return;
    };
    let case = &loaded.case;
    let claims: Vec<u32> = (0..case.claims.len() as u32).collect();
    let analyses = analyze(case, &claims);
    let counting = Counting {
        anonymous: true,
        ..Counting::default()
    };
    let _ = report::text(case, &analyses, counting);
    let json = report::json(case, &analyses, &loaded.warnings);
    assert!(serde_json_ok(&json), "the JSON does not parse");
    let _ = report::check(case, &analyses, 2, Counting::default());
    let _ = rumorgraph::export::dot::render(case, &analyses);
    let _ = report::gexf::gexf(case, &analyses, &|_| None);
    let _ = report::graphml::graphml(case, &analyses);
    let _ = report::tables::tables(case, &analyses);
    let _ = report::prov::prov_json(case, &claims);
    let _ = report::prov::prov_n(case, &claims);
    let by_claim = case.reports_by_claim();
    let timelines: Vec<_> = claims
        .iter()
        .map(|&c| timeline(case, c, &by_claim[c as usize]))
        .collect();
    let _ = report::timeline::text(case, &timelines);
    let _ = report::timeline::json(case, &timelines);
    let same = diff(case, &analyses, case, &analyses);
    let rule = report::diff::Rule {
        counting,
        min: 2,
    };
    assert_eq!(
        report::diff::verdicts_changed(&same, rule),
        0,
        "a case compared with itself changed a verdict"
    );
    let _ = report::diff::text(case, case, &same, rule);
    let _ = report::diff::json(case, case, &same, rule);
    for a in analyses.iter().take(3) {
        for f in a.sources.iter().take(5) {
            let t = trace(case, a, &by_claim[a.claim as usize], f.source, 50);
            let _ = report::trace(case, a, &t, 50);
        }
    }
});

/// A minimal check that the JSON is one balanced object (the fuzz crate
/// keeps its dependencies to the library's).
fn serde_json_ok(s: &str) -> bool {
    let (mut depth, mut in_str, mut esc) = (0i64, false, false);
    for c in s.chars() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0 && !in_str && s.trim_start().starts_with('{')
}
