//! Helpers shared by the integration tests.

// Not every test module uses every helper.
#![allow(dead_code)]

use rumorgraph::model::{
    Case, Claim, Kind, Location, PartialDate, Report, Source, SourceIdx, Stance,
};

/// A declared source.
pub fn source(id: &str, kind: Kind) -> Source {
    Source {
        id: id.into(),
        name: id.into(),
        kind,
        country: None,
        reliability: None,
        url: None,
        notes: None,
        declared: true,
    }
}

/// A declared claim.
pub fn claim(id: &str) -> Claim {
    Claim {
        id: id.into(),
        text: format!("claim {id}"),
        declared: true,
    }
}

/// A report of claim `claim` by `source` citing `cites`.
pub fn report(
    source: SourceIdx,
    claim: u32,
    cites: Vec<SourceIdx>,
    stance: Stance,
    date: Option<PartialDate>,
) -> Report {
    Report {
        source,
        claim,
        cites,
        stance,
        date,
        url: None,
        quote: None,
        at: Location::default(),
    }
}

/// A one-claim case from a compact description, sources created in the
/// order first named:
///
/// - `u>v`: a support report by `v` citing `u`; `u,w>v` cites both;
/// - `v`: a first-hand support report by `v`;
/// - a leading `!` makes the report a denial, a leading `?` a query;
/// - `@v` declares `v` anonymous (no report).
pub fn case_from_edges(spec: &str) -> Case {
    let mut sources: Vec<Source> = Vec::new();
    let mut reports = Vec::new();
    fn idx(sources: &mut Vec<Source>, id: &str) -> SourceIdx {
        match sources.iter().position(|s| s.id == id) {
            Some(i) => i as SourceIdx,
            None => {
                sources.push(source(id, Kind::Outlet));
                (sources.len() - 1) as SourceIdx
            }
        }
    }
    for tok in spec.split_whitespace() {
        if let Some(id) = tok.strip_prefix('@') {
            let i = idx(&mut sources, id);
            sources[i as usize].kind = Kind::Anonymous;
            continue;
        }
        let (stance, tok) = match tok.as_bytes()[0] {
            b'!' => (Stance::Deny, &tok[1..]),
            b'?' => (Stance::Query, &tok[1..]),
            _ => (Stance::Support, tok),
        };
        let (cited, by) = tok.split_once('>').unwrap_or(("", tok));
        let by = idx(&mut sources, by);
        let cites = cited
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| idx(&mut sources, c))
            .collect();
        reports.push(report(by, 0, cites, stance, None));
    }
    Case::from_parts(None, sources, vec![claim("c")], reports)
}

/// The indices of every report of a case.
pub fn all_reports(case: &Case) -> Vec<u32> {
    (0..case.reports.len() as u32).collect()
}

/// The ids of some sources.
pub fn ids(case: &Case, sources: &[SourceIdx]) -> Vec<String> {
    sources.iter().map(|&s| case.source(s).id.clone()).collect()
}
