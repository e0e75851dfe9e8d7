//! W3C PROV, as PROV-JSON and PROV-N (docs/export.md explains the mapping):
//!
//! - every source is a `prov:Agent` (`src:ID`), with its name as
//!   `prov:label` and its kind, country and reliability as `rg:` attributes;
//! - every report is a `prov:Entity` (`rep:N`, N its place in the case), of
//!   `prov:type` `rg:Report`, with its claim, stance, basis, quote (as
//!   `prov:value`), URL and notes, `wasAttributedTo` its source, and, when
//!   dated, `wasGeneratedBy` with its date's first day as the time;
//! - every citation is a `wasDerivedFrom` of `prov:type` `prov:Quotation`:
//!   the citing report derives from the cited source's earliest report of the
//!   claim; a cited source with no report of its own gets one entity for what
//!   it said (`said:CLAIM/SOURCE`, `prov:type` `rg:Statement`), attributed to
//!   it.
//!
//! Ids become the local parts of qualified names with every character
//! outside `A-Z a-z 0-9 _ -` written as a percent escape.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use crate::model::{Case, ClaimIdx, PartialDate, SourceIdx};

/// The namespace of rumorgraph's own terms.
pub const RG_NAMESPACE: &str = "https://rumorgraph.org/ns/prov#";

/// An id as the local part of a qualified name.
fn local(id: &str) -> String {
    let mut out = String::new();
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    if out.is_empty() {
        out.push_str("%20");
    }
    out
}

fn agent(case: &Case, s: SourceIdx) -> String {
    format!("src:{}", local(case.source_id(s)))
}

fn report_entity(r: u32) -> String {
    format!("rep:r{r}")
}

fn said(case: &Case, c: ClaimIdx, s: SourceIdx) -> String {
    format!(
        "said:{}",
        local(&format!("{}/{}", case.claim(c).id, case.source_id(s)))
    )
}

fn time(d: PartialDate) -> String {
    let (y, m, dd) = d.first_day();
    format!("{y:04}-{m:02}-{dd:02}T00:00:00")
}

/// Everything the document states, in the order both serialisations write it.
struct Statements {
    agents: Vec<(String, Vec<(String, String)>)>,
    entities: Vec<(String, Vec<(String, String)>)>,
    attributed: Vec<(String, String)>,
    generated: Vec<(String, String)>,
    derived: Vec<(String, String)>,
}

fn statements(case: &Case, claims: &[ClaimIdx]) -> Statements {
    let wanted: std::collections::HashSet<ClaimIdx> = claims.iter().copied().collect();
    let reports: Vec<u32> = (0..case.reports.len() as u32)
        .filter(|&i| wanted.contains(&case.reports[i as usize].claim))
        .collect();
    // Each source's earliest report of each claim (by date, then case order).
    let mut first: BTreeMap<(ClaimIdx, SourceIdx), u32> = BTreeMap::new();
    for &i in &reports {
        let r = &case.reports[i as usize];
        first
            .entry((r.claim, r.source))
            .and_modify(|f| {
                let old = case.reports[*f as usize].date;
                if let (Some(d), Some(o)) = (r.date, old) {
                    if d < o {
                        *f = i;
                    }
                } else if old.is_none() && r.date.is_some() {
                    *f = i;
                }
            })
            .or_insert(i);
    }
    let mut used: BTreeMap<SourceIdx, ()> = BTreeMap::new();
    let mut st = Statements {
        agents: Vec::new(),
        entities: Vec::new(),
        attributed: Vec::new(),
        generated: Vec::new(),
        derived: Vec::new(),
    };
    let mut said_for: BTreeMap<(ClaimIdx, SourceIdx), ()> = BTreeMap::new();
    for &i in &reports {
        let r = &case.reports[i as usize];
        used.insert(r.source, ());
        let mut attrs = vec![
            ("prov:type".to_owned(), "rg:Report".to_owned()),
            ("rg:claim".to_owned(), case.claim(r.claim).id.clone()),
            ("rg:stance".to_owned(), r.stance.as_str().to_owned()),
            ("rg:basis".to_owned(), r.basis.as_str().to_owned()),
        ];
        if let Some(d) = r.date {
            attrs.push(("rg:date".to_owned(), d.to_string()));
        }
        if let Some(q) = r.quote() {
            attrs.push(("prov:value".to_owned(), q.to_owned()));
        }
        if let Some(u) = r.url() {
            attrs.push(("rg:url".to_owned(), u.to_owned()));
        }
        if let Some(n) = r.notes() {
            attrs.push(("rg:notes".to_owned(), n.to_owned()));
        }
        st.entities.push((report_entity(i), attrs));
        st.attributed
            .push((report_entity(i), agent(case, r.source)));
        if let Some(d) = r.date {
            st.generated.push((report_entity(i), time(d)));
        }
        for &u in &r.cites {
            used.insert(u, ());
            let target = match first.get(&(r.claim, u)) {
                Some(&f) => report_entity(f),
                None => {
                    said_for.insert((r.claim, u), ());
                    said(case, r.claim, u)
                }
            };
            st.derived.push((report_entity(i), target));
        }
    }
    for (c, s) in said_for.keys() {
        st.entities.push((
            said(case, *c, *s),
            vec![
                ("prov:type".to_owned(), "rg:Statement".to_owned()),
                ("rg:claim".to_owned(), case.claim(*c).id.clone()),
            ],
        ));
        st.attributed.push((said(case, *c, *s), agent(case, *s)));
    }
    for &s in used.keys() {
        let src = case.source(s);
        let mut attrs = vec![
            ("prov:label".to_owned(), case.source_name(s).to_owned()),
            ("rg:id".to_owned(), case.source_id(s).to_owned()),
            ("rg:kind".to_owned(), src.kind.as_str().to_owned()),
        ];
        if let Some(c) = src.country() {
            attrs.push(("rg:country".to_owned(), c.to_owned()));
        }
        if let Some(g) = src.reliability {
            attrs.push(("rg:reliability".to_owned(), g.to_string()));
        }
        st.agents.push((agent(case, s), attrs));
    }
    st
}

/// A PROV-JSON value: qualified names (`prov:type`'s) as typed values.
fn json_value(key: &str, v: &str) -> Value {
    if key == "prov:type" {
        json!({ "$": v, "type": "prov:QUALIFIED_NAME" })
    } else {
        Value::String(v.to_owned())
    }
}

/// The PROV-JSON document of the given claims.
pub fn prov_json(case: &Case, claims: &[ClaimIdx]) -> String {
    let st = statements(case, claims);
    let mut doc = Map::new();
    doc.insert(
        "prefix".into(),
        json!({
            "rg": RG_NAMESPACE,
            "src": format!("{RG_NAMESPACE}source/"),
            "rep": format!("{RG_NAMESPACE}report/"),
            "said": format!("{RG_NAMESPACE}statement/"),
        }),
    );
    let block = |items: &[(String, Vec<(String, String)>)]| {
        let mut m = Map::new();
        for (id, attrs) in items {
            let mut a = Map::new();
            for (k, v) in attrs {
                a.insert(k.clone(), json_value(k, v));
            }
            m.insert(id.clone(), Value::Object(a));
        }
        Value::Object(m)
    };
    doc.insert("agent".into(), block(&st.agents));
    doc.insert("entity".into(), block(&st.entities));
    let mut m = Map::new();
    for (k, (e, a)) in st.attributed.iter().enumerate() {
        m.insert(
            format!("_:att{k}"),
            json!({ "prov:entity": e, "prov:agent": a }),
        );
    }
    doc.insert("wasAttributedTo".into(), Value::Object(m));
    let mut m = Map::new();
    for (k, (e, t)) in st.generated.iter().enumerate() {
        m.insert(
            format!("_:gen{k}"),
            json!({ "prov:entity": e, "prov:time": t }),
        );
    }
    doc.insert("wasGeneratedBy".into(), Value::Object(m));
    let mut m = Map::new();
    for (k, (g, u)) in st.derived.iter().enumerate() {
        m.insert(
            format!("_:der{k}"),
            json!({
                "prov:generatedEntity": g,
                "prov:usedEntity": u,
                "prov:type": { "$": "prov:Quotation", "type": "prov:QUALIFIED_NAME" },
            }),
        );
    }
    doc.insert("wasDerivedFrom".into(), Value::Object(m));
    let mut s = serde_json::to_string_pretty(&Value::Object(doc)).expect("plain JSON");
    s.push('\n');
    s
}

/// A PROV-N string literal.
fn provn_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn provn_attrs(attrs: &[(String, String)]) -> String {
    let parts: Vec<String> = attrs
        .iter()
        .map(|(k, v)| {
            if k == "prov:type" {
                format!("{k}='{v}'")
            } else {
                format!("{k}={}", provn_string(v))
            }
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// The PROV-N document of the given claims.
pub fn prov_n(case: &Case, claims: &[ClaimIdx]) -> String {
    let st = statements(case, claims);
    let mut out = String::from("document\n");
    let _ = writeln!(out, "  prefix rg <{RG_NAMESPACE}>");
    let _ = writeln!(out, "  prefix src <{RG_NAMESPACE}source/>");
    let _ = writeln!(out, "  prefix rep <{RG_NAMESPACE}report/>");
    let _ = writeln!(out, "  prefix said <{RG_NAMESPACE}statement/>");
    out.push('\n');
    for (id, attrs) in &st.agents {
        let _ = writeln!(out, "  agent({id}, {})", provn_attrs(attrs));
    }
    for (id, attrs) in &st.entities {
        let _ = writeln!(out, "  entity({id}, {})", provn_attrs(attrs));
    }
    for (e, a) in &st.attributed {
        let _ = writeln!(out, "  wasAttributedTo({e}, {a})");
    }
    for (e, t) in &st.generated {
        let _ = writeln!(out, "  wasGeneratedBy({e}, -, {t})");
    }
    for (g, u) in &st.derived {
        let _ = writeln!(
            out,
            "  wasDerivedFrom({g}, {u}, -, -, -, [prov:type='prov:Quotation'])"
        );
    }
    out.push_str("endDocument\n");
    out
}
