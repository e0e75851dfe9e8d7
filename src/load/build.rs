//! One case from the records of all its files: ids interned to indices once,
//! declarations before reports so sources and claims keep the order the case
//! declares them, then the rules that need the whole case: duplicate ids,
//! undeclared sources and claims (an error when the id is a declared one
//! misspelt, a warning otherwise), support reports dated before the reports
//! they cite, deny reports citing a supporter, and retractions and `basis`
//! where they cannot apply.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::diag::{nearest, shown, Code, Diagnostic, NEAREST_CHARS};
use crate::load::records::{RawFile, RawId, Val};
use crate::load::tree::{FileText, Pos};
use crate::model::{
    Basis, Case, Cites, ClaimIdx, PartialDate, Report, Source, SourceIdx, SourceTexts, Stance,
};

/// Beyond this many pairs of characters compared, undeclared ids get no "did
/// you mean" (and no typo check): about a second of work.
const SUGGESTION_BUDGET: usize = 300_000_000;

/// Builds the case from the records of `files`: `raws` holds each file's
/// records, in one or more pieces, with the file's index, in file order.
pub(crate) fn build(
    files: &[FileText],
    raws: Vec<(usize, RawFile)>,
    diags: &mut Vec<Diagnostic>,
) -> Case {
    let mut case = Case::default();
    // Where each source or claim was first declared (file, position).
    let mut source_decl: Vec<Option<(usize, Pos)>> = Vec::new();
    let mut claim_decl: Vec<Option<(usize, Pos)>> = Vec::new();

    for &(fi, ref raw) in &raws {
        let file = &files[fi];
        if case.title.is_none() {
            case.title = raw.title.clone();
        }
        for s in &raw.sources {
            let (i, _) = case.intern_source(&s.id.v);
            source_decl.resize(case.sources.len(), None);
            if let Some((f0, p0)) = source_decl[i as usize] {
                diags.push(duplicate(file, "source", &s.id.v, s.id.pos, &files[f0], p0));
                continue;
            }
            source_decl[i as usize] = Some((fi, s.id.pos));
            let src = &mut case.sources[i as usize];
            src.name = s.name.clone();
            src.kind = s.kind;
            src.reliability = s.reliability;
            src.texts = SourceTexts {
                country: s.country.clone(),
                url: s.url.clone(),
                notes: s.notes.clone(),
            }
            .boxed();
            src.declared = true;
        }
        for c in &raw.claims {
            let (i, _) = case.intern_claim(&c.id.v);
            claim_decl.resize(case.claims.len(), None);
            if let Some((f0, p0)) = claim_decl[i as usize] {
                diags.push(duplicate(file, "claim", &c.id.v, c.id.pos, &files[f0], p0));
                continue;
            }
            claim_decl[i as usize] = Some((fi, c.id.pos));
            let claim = &mut case.claims[i as usize];
            claim.text = c.text.clone();
            claim.declared = true;
        }
    }
    let declared_sources = case.sources.len();
    let declared_claims = case.claims.len();

    // Where each undeclared id was first referenced.
    let mut source_first: Vec<(usize, Pos)> = Vec::new();
    let mut claim_first: Vec<(usize, Pos)> = Vec::new();
    let total: usize = raws.iter().map(|(_, r)| r.reports.len()).sum();
    case.reports.reserve_exact(total);
    // With sources declared, each new id of the reports is entered where it
    // is first named, for the messages about undeclared sources: room for
    // all of them at once, rather than growing the table step by step.
    if declared_sources > 0 {
        case.reserve_sources(raws.iter().map(|(_, r)| r.source_ids.len()).sum());
    }
    for (fi, mut raw) in raws {
        let file = &files[fi];
        // The case's index of each of the file's ids, found at its first
        // mention: in the order of the reports, as if looked up at each one.
        const UNSEEN: u32 = u32::MAX;
        let mut source_of = vec![UNSEEN; raw.source_ids.len()];
        let mut claim_of = vec![UNSEEN; raw.claim_ids.len()];
        if declared_sources == 0 {
            // Every source is named by reports, and a file lists its source
            // ids in the order the case would enter them. The first file's
            // (or piece's) table becomes the case's; the others are joined
            // to it (IdIndex::absorb). Entering each id again took half of
            // building the case of a million-long chain.
            source_of = case.source_ids.absorb(std::mem::take(&mut raw.source_ids));
            case.sources
                .resize_with(case.source_ids.len(), Source::undeclared);
        }
        let ids = &raw.source_ids;
        for r in raw.reports {
            // Taken one by one: the records' memory is given back as they go.
            let mut source_at = |case: &mut Case, id: &Val<RawId>| {
                let known = &mut source_of[id.v as usize];
                if *known == UNSEEN {
                    let (i, created) = case.intern_source(ids.id(id.v));
                    if created {
                        source_first.push((fi, id.pos));
                    }
                    *known = i;
                }
                *known
            };
            let source = source_at(&mut case, &r.source);
            let cites: Cites = r.cites.iter().map(|c| source_at(&mut case, c)).collect();
            let known = &mut claim_of[r.claim.v as usize];
            if *known == UNSEEN {
                let (i, created) = case.intern_claim(raw.claim_ids.id(r.claim.v));
                if created {
                    claim_first.push((fi, r.claim.pos));
                }
                *known = i;
            }
            let claim = *known;
            if let Some(b) = &r.basis {
                if !cites.is_empty() && r.stance != Stance::Retract {
                    let d = file
                        .warning(
                            Code::BasisWithCites,
                            b.pos,
                            format!(
                                "`basis = \"{}\"` on a report that cites sources",
                                b.v.as_str()
                            ),
                        )
                        .with_help(
                            "basis says what a report without cites rests on; a report that \
                             cites sources rests on them: drop the basis, or the cites if the \
                             article does not attribute the claim",
                        );
                    diags.push(d);
                }
            }
            let at = case.at(file.location(r.pos));
            case.reports.push(Report {
                source,
                claim,
                cites,
                stance: r.stance,
                basis: r.basis.map_or(Basis::FirstHand, |b| b.v),
                date: r.date,
                texts: r.texts,
                at,
            });
        }
    }

    if declared_sources > 0 {
        undeclared(
            files,
            &case,
            diags,
            "source",
            declared_sources,
            &source_first,
            |c, i| c.source_id(i as SourceIdx),
        );
    }
    if declared_claims > 0 {
        undeclared(
            files,
            &case,
            diags,
            "claim",
            declared_claims,
            &claim_first,
            |c, i| c.claims[i].id.as_str(),
        );
    }

    case.order_claims();
    // The two checks and the ranking read the case and nothing else: on
    // rayon's threads at once, their messages in the order of one after
    // the other.
    let (rank, (mut later, mut stances)) = rayon::join(
        || case.ranks_of_sources(),
        || {
            rayon::join(
                || {
                    let mut d = Vec::new();
                    cites_later(&case, &mut d);
                    d
                },
                || {
                    let mut d = Vec::new();
                    stances_across_reports(&case, &mut d);
                    d
                },
            )
        },
    );
    case.source_rank = rank;
    diags.append(&mut later);
    diags.append(&mut stances);
    case
}

fn duplicate(
    file: &FileText,
    what: &str,
    id: &str,
    pos: Pos,
    first_file: &FileText,
    first: Pos,
) -> Diagnostic {
    file.error(
        Code::DuplicateId,
        pos,
        format!("{what} `{}` is declared twice", shown(id)),
    )
    .with_help(format!(
        "it was first declared at {}; give the second one another id or merge them",
        first_file.location(first)
    ))
}

/// A message for every id that is referenced but not declared, at its first
/// reference. When the id is a declared one misspelt (the nearest declared id
/// by [`crate::diag::nearest`]), or a declared source's name written instead
/// of its id, it is an error: the report would silently be counted for a new
/// source of kind `unknown` (or a new claim). Any other undeclared id is a
/// warning.
fn undeclared(
    files: &[FileText],
    case: &Case,
    diags: &mut Vec<Diagnostic>,
    what: &str,
    declared: usize,
    first: &[(usize, Pos)],
    id_of: impl Fn(&Case, usize) -> &str,
) {
    // The cost of comparing every undeclared id with every declared one, in
    // pairs of characters (ids longer than `NEAREST_CHARS` are not compared).
    let chars = |ids: &mut dyn Iterator<Item = &str>| -> usize {
        ids.map(|id| id.len().min(NEAREST_CHARS)).sum()
    };
    let undeclared_chars = chars(&mut (0..first.len()).map(|k| id_of(case, declared + k)));
    let declared_chars = chars(&mut (0..declared).map(|i| id_of(case, i)));
    let suggest = undeclared_chars.saturating_mul(declared_chars) <= SUGGESTION_BUDGET;
    let code = if what == "source" {
        Code::UndeclaredSource
    } else {
        Code::UndeclaredClaim
    };
    // Declared sources by their name, ignoring case: the first one wins.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    if what == "source" {
        for i in 0..declared {
            by_name
                .entry(case.source_name(i as SourceIdx).to_lowercase())
                .or_insert(i);
        }
    }
    let known: std::collections::HashSet<&str> = (0..declared).map(|i| id_of(case, i)).collect();
    for (k, &(fi, pos)) in first.iter().enumerate() {
        let id_full = id_of(case, declared + k);
        let id = &shown(id_full);
        let by_its_name = by_name
            .get(&id_full.to_lowercase())
            .map(|&i| id_of(case, i));
        let candidates = || (0..declared).map(|i| id_of(case, i));
        let (typo, near) = if suggest {
            (
                candidates().find(|d| likely_typo(id_full, d)),
                nearest(id_full, candidates()),
            )
        } else {
            (None, None)
        };
        // Several ids in one, "fars, alalam", each of them declared.
        let parts: Vec<&str> = id_full.split([',', '|']).map(str::trim).collect();
        if parts.len() > 1 && parts.iter().all(|p| known.contains(p)) {
            let list: Vec<String> = parts.iter().map(|p| format!("`{}`", shown(p))).collect();
            diags.push(
                files[fi]
                    .error(
                        Code::LikelyTypo,
                        pos,
                        format!("{what} `{id}` is not declared; it is {} written as one", list.join(" and ")),
                    )
                    .with_help(if files[fi].table {
                        "separate several cited ids in one cell with `;` (or the separator given with --cites-sep)".to_owned()
                    } else {
                        format!("write each as its own string: [{}]", parts.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", "))
                    }),
            );
            continue;
        }
        if let Some(meant) = by_its_name.or(typo) {
            let meant = &shown(meant);
            let (msg, help) = if by_its_name.is_some() {
                (
                    format!("{what} `{id}` is not declared; it is the name of the declared {what} `{meant}`"),
                    format!(
                        "write its id, `{meant}`; if `{id}` is another {what}, declare it under [[{what}s]]"
                    ),
                )
            } else {
                (
                    format!("{what} `{id}` is not declared; did you mean `{meant}`?"),
                    format!(
                        "an undeclared {what} would be counted as a new one{}: write `{meant}`, or declare `{id}` under [[{what}s]] if it is another {what}",
                        if what == "source" { " of kind `unknown`" } else { "" }
                    ),
                )
            };
            diags.push(files[fi].error(Code::LikelyTypo, pos, msg).with_help(help));
            continue;
        }
        let help = if what == "source" {
            "declare it under [[sources]] with its kind (until then it is a source of kind \
             `unknown`, which is never counted as a named origin)"
                .to_owned()
        } else {
            "declare it under [[claims]] with its text".to_owned()
        };
        let help = match near {
            Some(n) => format!("did you mean `{n}`? If not, {help}"),
            None => help,
        };
        let msg = format!("{what} `{id}` is used but not declared");
        diags.push(files[fi].warning(code, pos, msg).with_help(help));
    }
}

/// Whether an undeclared id is almost certainly a declared one mistyped:
/// the same ignoring case, or one edit away (a letter added, dropped,
/// changed, or two neighbours swapped; two edits for ids of 8 characters or
/// more), when the ids have at least 3 characters and do not differ in
/// digits only (`s10` and `s11`, `report-2015` and `report-2016` are
/// different things). Looser likenesses only get a "did you mean" in a
/// warning.
///
/// *O(a · b)* for ids of `a` and `b` characters, and only when their lengths
/// differ by at most two.
fn likely_typo(undeclared: &str, declared: &str) -> bool {
    let (a, b) = (undeclared.to_lowercase(), declared.to_lowercase());
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let longest = la.max(lb);
    if longest < 3 || la.abs_diff(lb) > 2 || longest > NEAREST_CHARS {
        return false;
    }
    let letters = |s: &str| -> String { s.chars().filter(|c| !c.is_ascii_digit()).collect() };
    if letters(&a) == letters(&b) {
        return false;
    }
    let allowed = if longest >= 8 { 2 } else { 1 };
    strsim::osa_distance(&a, &b) <= allowed
}

/// Warns about reports whose stance and citations contradict other reports
/// of the same claim: a deny report citing a source that supports the claim
/// (`cites` says whom the denial comes from, not what it denies), and a
/// retraction by a source that has no support report of the claim, or that
/// cites sources.
fn stances_across_reports(case: &Case, diags: &mut Vec<Diagnostic>) {
    let key = |claim: ClaimIdx, source: SourceIdx| (claim as u64) << 32 | source as u64;
    // Only the pairs a deny or retract report asks about are looked for
    // among the support reports: most cases have few such reports.
    let mut supports: HashMap<u64, bool, BuildHasherDefault<PairHash>> = HashMap::default();
    for r in &case.reports {
        match r.stance {
            Stance::Deny => {
                for &u in &r.cites {
                    supports.insert(key(r.claim, u), false);
                }
            }
            Stance::Retract => {
                supports.insert(key(r.claim, r.source), false);
            }
            _ => {}
        }
    }
    if supports.is_empty() {
        return;
    }
    for r in &case.reports {
        if r.stance == Stance::Support {
            if let Some(s) = supports.get_mut(&key(r.claim, r.source)) {
                *s = true;
            }
        }
    }
    let supports = |k: u64| supports.get(&k) == Some(&true);
    for r in &case.reports {
        // Made only for a message: most reports need none.
        let src = || shown(case.source_id(r.source));
        let claim = || shown(&case.claim(r.claim).id);
        match r.stance {
            Stance::Deny => {
                for &u in &r.cites {
                    if supports(key(r.claim, u)) {
                        let (src, claim) = (src(), claim());
                        let cited = shown(case.source_id(u));
                        let msg = format!(
                            "the deny report by `{src}` cites `{cited}`, which supports `{claim}`: this makes `{cited}` an origin of the denial"
                        );
                        diags.push(Diagnostic::warning(Code::DenyCitesSupporter, case.location(r.at), msg).with_help(format!(
                            "`cites` is whom a report attributes its own statement to, on every stance; to record \"`{src}` denies `{cited}`'s report\", leave `{cited}` out of cites (a first-hand denial) and name it in the quote"
                        )));
                    }
                }
            }
            Stance::Retract => {
                let (src, claim) = (src(), claim());
                if !supports(key(r.claim, r.source)) {
                    let msg =
                        format!("`{src}` retracts `{claim}`, but has no support report of it");
                    diags.push(Diagnostic::warning(Code::Retraction, case.location(r.at), msg).with_help(
                        "a retraction withdraws the source's own earlier support: add the support report it withdraws, or record this report as `deny` if the source never supported the claim",
                    ));
                } else if !r.cites.is_empty() {
                    let msg = format!("the retraction by `{src}` of `{claim}` cites sources");
                    diags.push(Diagnostic::warning(Code::Retraction, case.location(r.at), msg).with_help(
                        "a retraction withdraws the source's own support, and its cites are not used: drop them, or record a report that attributes a denial to them as `deny`",
                    ));
                }
            }
            _ => {}
        }
    }
}

/// Warns about support reports that are certainly dated before the earliest
/// dated report, on the same claim, of a source they cite. A partial date
/// covers a span: `2015-12` citing a report of `2015-12-09` is not flagged.
fn cites_later(case: &Case, diags: &mut Vec<Diagnostic>) {
    let key = |claim: ClaimIdx, source: SourceIdx| (claim as u64) << 32 | source as u64;
    let dated = case.reports.iter().filter(|r| r.date.is_some()).count();
    let mut earliest: HashMap<u64, PartialDate, BuildHasherDefault<PairHash>> =
        HashMap::with_capacity_and_hasher(dated, BuildHasherDefault::default());
    for r in &case.reports {
        if let Some(d) = r.date {
            earliest
                .entry(key(r.claim, r.source))
                .and_modify(|e| *e = (*e).min(d))
                .or_insert(d);
        }
    }
    for r in &case.reports {
        let (Stance::Support, Some(d)) = (r.stance, r.date) else {
            continue;
        };
        for &u in &r.cites {
            let Some(e) = earliest.get(&key(r.claim, u)) else {
                continue;
            };
            if d.last_day() < e.first_day() {
                let (src, cited, claim) = (
                    shown(case.source_id(r.source)),
                    shown(case.source_id(u)),
                    shown(&case.claim(r.claim).id),
                );
                let msg = format!(
                    "cites a later report: `{src}` ({d}) cites `{cited}`, whose earliest report of `{claim}` is dated {e}"
                );
                diags.push(Diagnostic::warning(Code::CitesLater, case.location(r.at), msg).with_help(
                    "check both dates, and whether the case is missing an earlier report by the cited source",
                ));
            }
        }
    }
}

/// The hash of `cites_later`'s (claim, source) keys: a multiply and a fold.
/// The map holds an entry for every dated report, a million for a large
/// table, and the keys are the case's own indices, so SipHash's protection
/// against chosen keys buys nothing there.
#[derive(Default)]
struct PairHash(u64);

impl Hasher for PairHash {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b.into());
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0 ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}
