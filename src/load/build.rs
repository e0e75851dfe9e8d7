//! One case from the records of all its files: ids interned to indices once,
//! declarations before reports so sources and claims keep the order the case
//! declares them, then the rules that need the whole case: duplicate ids,
//! undeclared sources and claims (an error when the id is a declared one
//! misspelt, a warning otherwise), support reports dated before the reports
//! they cite, deny reports citing a supporter, and retractions and `basis`
//! where they cannot apply.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::diag::{nearest, shown, Code, Diagnostic, NEAREST_CHARS};
use crate::load::records::{RawFile, RawId, RawReport, Records, Val};
use crate::load::tree::{FileText, Pos};
use crate::model::{
    At, Basis, Case, Cites, ClaimIdx, IdIndex, PartialDate, Report, Source, SourceIdx, SourceTexts,
    Stance,
};

/// The index of a file's id not yet found in the case.
const UNSEEN: u32 = u32::MAX;

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
    build_in(files, raws, diags, Some(Records::<RawReport>::STEP))
}

/// [`build`], with the reports made apart in chunks of `apart` records
/// where they can be ([`reports_apart`]), or all one by one for `None`.
fn build_in(
    files: &[FileText],
    raws: Vec<(usize, RawFile)>,
    diags: &mut Vec<Diagnostic>,
    apart: Option<usize>,
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
        if let Some(chunk) = apart.filter(|_| declared_sources == 0 && file.sheet.is_none()) {
            // Every source already has its index, from the table just
            // joined: each report is made from its record alone, on rayon's
            // threads, a chunk at a time.
            let ids = (&source_of[..], &mut claim_of[..]);
            reports_apart(
                fi,
                file,
                &mut case,
                &mut raw,
                ids,
                &mut claim_first,
                diags,
                chunk,
            );
            continue;
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
            let claim_ids = (&raw.claim_ids, &mut claim_of[..]);
            let claim = claim_at(&mut case, claim_ids, &mut claim_first, fi, &r.claim);
            if let Some(d) = basis_with_cites(file, &r) {
                diags.push(d);
            }
            let at = case.at(file.location(r.pos));
            case.reports.push(report(r, source, claim, cites, at));
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
    // The reports grouped by claim, made by the first check that asks and
    // read by both.
    let by_claim = OnceLock::new();
    let (rank, (mut later, mut stances)) = rayon::join(
        || case.ranks_of_sources(),
        || {
            rayon::join(
                || {
                    let mut d = Vec::new();
                    cites_later(&case, &by_claim, &mut d);
                    d
                },
                || {
                    let mut d = Vec::new();
                    stances_across_reports(&case, &by_claim, &mut d);
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

/// The reports of file `fi`'s records, made on rayon's threads, `chunk`
/// records at a time, when every source the records name already has its
/// index in `source_of`: the same reports, in the same order, with
/// the same messages, as made one by one. Each chunk's claims are entered
/// first, in the order the reports name them, as one by one. One by one,
/// making the million reports of the default corpus took about 130 ms, the
/// other core idle.
#[allow(clippy::too_many_arguments)]
fn reports_apart(
    fi: usize,
    file: &FileText,
    case: &mut Case,
    raw: &mut RawFile,
    (source_of, claim_of): (&[u32], &mut [u32]),
    claim_first: &mut Vec<(usize, Pos)>,
    diags: &mut Vec<Diagnostic>,
    chunk: usize,
) {
    use rayon::prelude::*;
    let Some(first) = raw.reports.upcoming(1).next().map(|r| r.pos) else {
        return;
    };
    // The file's place among the case's files, entered once.
    let file_at = case.at(file.location(first)).file;
    // At least one record a chunk, or the loop would never end.
    let n = chunk.max(1);
    while raw.reports.len() > 0 {
        for r in raw.reports.upcoming(n) {
            claim_at(
                case,
                (&raw.claim_ids, &mut *claim_of),
                claim_first,
                fi,
                &r.claim,
            );
            if let Some(d) = basis_with_cites(file, r) {
                diags.push(d);
            }
        }
        let claim_of = &*claim_of;
        raw.reports.take_par(n, |records| {
            case.reports.par_extend(records.map(|r| {
                let place = file.place(r.pos);
                let at = At::new(file_at, place.map(|p| p.line), place.map(|p| p.col));
                let source = source_of[r.source.v as usize];
                let claim = claim_of[r.claim.v as usize];
                let cites = r.cites.iter().map(|c| source_of[c.v as usize]).collect();
                report(r, source, claim, cites, at)
            }))
        });
    }
}

/// The case's index of claim `id` of file `fi`'s records, entered at its
/// first mention: `claim_of` holds the file's ids found so far, and
/// `claim_first` where each claim new to the case was first named.
fn claim_at(
    case: &mut Case,
    (claim_ids, claim_of): (&IdIndex, &mut [u32]),
    claim_first: &mut Vec<(usize, Pos)>,
    fi: usize,
    id: &Val<RawId>,
) -> ClaimIdx {
    let known = &mut claim_of[id.v as usize];
    if *known == UNSEEN {
        let (i, created) = case.intern_claim(claim_ids.id(id.v));
        if created {
            claim_first.push((fi, id.pos));
        }
        *known = i;
    }
    *known
}

/// A report from its record, with the case's indices of its source, claim
/// and cited sources, and where it was written.
fn report(r: RawReport, source: SourceIdx, claim: ClaimIdx, cites: Cites, at: At) -> Report {
    Report {
        source,
        claim,
        cites,
        stance: r.stance,
        basis: r.basis.map_or(Basis::FirstHand, |b| b.v),
        date: r.date,
        texts: r.texts,
        at,
    }
}

/// The warning for a report with a `basis` that cites sources.
fn basis_with_cites(file: &FileText, r: &RawReport) -> Option<Diagnostic> {
    let b = r.basis.as_ref()?;
    if r.cites.is_empty() || r.stance == Stance::Retract {
        return None;
    }
    Some(
        file.warning(
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
        ),
    )
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

/// Every claim's reports, in case order ([`Case::reports_by_claim`]), made
/// by the first of the two checks below that asks and read by both.
///
/// The two checks pair each report with the other reports of its claim by
/// source. With a hash table of (claim, source) pairs, each of a million
/// reports waited for memory, the table being tens of megabytes: 137 and
/// 134 ms for the two on the corpus of a million reports, where the corpus
/// of 100,000 took 7. Claim by claim, a claim's pairs meet in an array by
/// source, which stays in the caches.
///
/// The two checks once gathered what each needs of every report into
/// arrays of their own, grouped by claim, in two passes over the reports
/// for each array (eight in all). A million reports are 64 MB, read from
/// main memory at every pass, while 100,000 stay in the caches: on the steep
/// corpus, gathering took 20-24 and 51-70 ms of the two checks at a million
/// reports against 0.6-0.8 and 2.5-4.7 ms at 100,000, 30 and 17 times as
/// long. Now the reports are grouped by claim once, and each check reads a
/// claim's reports where they are, a few reports ahead
/// ([`Case::reports_ahead`]): both checks took a median 94.9 against 108.2
/// ms on the steep corpus (the default corpus 108.0 against 110.7 ms, 11
/// alternating runs), and `validate` of either used about a twentieth less
/// CPU time. Grouped by [`Case::reports_by_claim`] rather than by a count
/// of its own, the checks took as long (a median 95.5 against 95.8 ms, 15
/// alternating runs).
fn reports_by_claim<'a>(case: &Case, by_claim: &'a OnceLock<Vec<Vec<u32>>>) -> &'a [Vec<u32>] {
    by_claim.get_or_init(|| case.reports_by_claim())
}

/// Marks, in the answers of [`stances_across_reports`], a retraction whose
/// source has a support report of the claim.
const RETRACTED_SUPPORT: u32 = u32::MAX;

/// Warns about reports whose stance and citations contradict other reports
/// of the same claim: a deny report citing a source that supports the claim
/// (`cites` says whom the denial comes from, not what it denies), and a
/// retraction by a source that has no support report of the claim, or that
/// cites sources.
fn stances_across_reports(
    case: &Case,
    by_claim: &OnceLock<Vec<Vec<u32>>>,
    diags: &mut Vec<Diagnostic>,
) {
    // Most cases have no deny or retract report, and need nothing more.
    let askers: Vec<u32> = (0..case.reports.len() as u32)
        .filter(|&i| {
            matches!(
                case.reports[i as usize].stance,
                Stance::Deny | Stance::Retract
            )
        })
        .collect();
    if askers.is_empty() {
        return;
    }
    let by_claim = reports_by_claim(case, by_claim);
    let mut supports = vec![false; case.sources.len()];
    // A claim's supporters, and the sources its deny and retract reports
    // ask about: (source, report, the cited source's place in its cites or
    // RETRACTED_SUPPORT for the retracting source itself).
    let mut supporters: Vec<SourceIdx> = Vec::new();
    let mut asks: Vec<(SourceIdx, u32, u32)> = Vec::new();
    // The asks answered yes, as (report, place), then sorted: in the order
    // of the reports and of their cites.
    let mut yes: Vec<(u32, u32)> = Vec::new();
    for here in by_claim {
        for (i, r) in case.reports_ahead(here) {
            match r.stance {
                Stance::Support => {
                    let s = &mut supports[r.source as usize];
                    if !*s {
                        *s = true;
                        supporters.push(r.source);
                    }
                }
                Stance::Deny => {
                    for (k, &u) in r.cites.iter().enumerate() {
                        asks.push((u, i, k as u32));
                    }
                }
                Stance::Retract => asks.push((r.source, i, RETRACTED_SUPPORT)),
                _ => {}
            }
        }
        for &(u, i, k) in &asks {
            if supports[u as usize] {
                yes.push((i, k));
            }
        }
        for &s in &supporters {
            supports[s as usize] = false;
        }
        supporters.clear();
        asks.clear();
    }
    yes.sort_unstable();
    // The messages, a chunk of reports at a time on rayon's threads: there
    // can be tens of thousands, each with three ids read from anywhere in
    // the case's table of ids.
    use rayon::prelude::*;
    let parts: Vec<Vec<Diagnostic>> = askers
        .par_chunks(4096)
        .map(|part| {
            let first = yes.partition_point(|&(j, _)| j < part[0]);
            let end = yes.partition_point(|&(j, _)| j <= part[part.len() - 1]);
            let mut diags = Vec::new();
            stance_messages(case, part, &yes[first..end], &mut diags);
            diags
        })
        .collect();
    for mut part in parts {
        diags.append(&mut part);
    }
}

/// The messages of [`stances_across_reports`] about the deny and retract
/// reports `askers`, `yes` being the asks about them answered yes.
fn stance_messages(case: &Case, askers: &[u32], yes: &[(u32, u32)], diags: &mut Vec<Diagnostic>) {
    let mut yes = yes.iter().copied().peekable();
    for &i in askers {
        let r = &case.reports[i as usize];
        // Made only for a message: most reports need none.
        let src = || shown(case.source_id(r.source));
        let claim = || shown(&case.claim(r.claim).id);
        match r.stance {
            Stance::Deny => {
                while let Some((_, k)) = yes.next_if(|&(j, _)| j == i) {
                    let u = r.cites[k as usize];
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
            Stance::Retract => {
                let (src, claim) = (src(), claim());
                if yes.next_if_eq(&(i, RETRACTED_SUPPORT)).is_none() {
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
fn cites_later(case: &Case, by_claim: &OnceLock<Vec<Vec<u32>>>, diags: &mut Vec<Diagnostic>) {
    if !case.reports.iter().any(|r| r.date.is_some()) {
        return;
    }
    let by_claim = reports_by_claim(case, by_claim);
    // Each source's earliest dated report of the claim at hand (`touched`
    // lists the sources set), and what the claim's dated support reports
    // cite: (cited source, the report's date, report, place in its cites).
    let mut earliest: Vec<Option<PartialDate>> = vec![None; case.sources.len()];
    let mut touched: Vec<SourceIdx> = Vec::new();
    let mut asked: Vec<(SourceIdx, PartialDate, u32, u32)> = Vec::new();
    // (report, place in its cites, the cited source, the report's date, the
    // cited source's earliest): sorted, in the order of the reports and of
    // their cites.
    let mut later: Vec<(u32, u32, SourceIdx, PartialDate, PartialDate)> = Vec::new();
    for here in by_claim {
        for (i, r) in case.reports_ahead(here) {
            let Some(d) = r.date else { continue };
            let e = &mut earliest[r.source as usize];
            if e.is_none() {
                touched.push(r.source);
            }
            *e = Some(e.map_or(d, |e| e.min(d)));
            if r.stance == Stance::Support {
                for (k, &u) in r.cites.iter().enumerate() {
                    asked.push((u, d, i, k as u32));
                }
            }
        }
        for &(u, d, i, k) in &asked {
            if let Some(e) = earliest[u as usize] {
                if d.last_day() < e.first_day() {
                    later.push((i, k, u, d, e));
                }
            }
        }
        for &s in &touched {
            earliest[s as usize] = None;
        }
        touched.clear();
        asked.clear();
    }
    later.sort_unstable_by_key(|&(i, k, ..)| (i, k));
    for (i, _, u, d, e) in later {
        let r = &case.reports[i as usize];
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{numbers, report, source};
    use crate::model::{At, Claim};

    /// A case of `n` reports by 40 sources or more over 5 claims or more:
    /// every stance, dates of every precision, up to three cited sources a
    /// report.
    fn case(n: u32, seed: u64) -> Case {
        let mut next = numbers(seed);
        let (ns, nc) = (40 + n / 20, 5 + n / 1000);
        let stances = [Stance::Support, Stance::Deny, Stance::Retract];
        let reports = (0..n)
            .map(|i| {
                let s = next(ns);
                let mut cites: Vec<u32> =
                    (0..next(4)).map(|_| next(ns)).filter(|&u| u != s).collect();
                cites.sort_unstable();
                cites.dedup();
                let mut r = report(s, &cites, stances[next(3) as usize]);
                r.claim = next(nc);
                r.date = match next(4) {
                    0 => None,
                    1 => PartialDate::parse(&format!("{}", 2015 + next(3))),
                    2 => PartialDate::parse(&format!("{}-{:02}", 2015 + next(3), 1 + next(12))),
                    _ => PartialDate::parse(&format!(
                        "{}-{:02}-{:02}",
                        2015 + next(3),
                        1 + next(12),
                        1 + next(28)
                    )),
                };
                r.at = At {
                    file: 0,
                    line: i + 2,
                    column: 1,
                };
                r
            })
            .collect();
        let sources = (0..ns).map(|i| source(&format!("s{i}"))).collect();
        let claims = (0..nc)
            .map(|i| Claim {
                id: format!("c{i}"),
                text: String::new(),
                declared: true,
            })
            .collect();
        let mut case = Case::from_parts(None, sources, claims, reports);
        case.files = vec!["case.csv".into()];
        case
    }

    /// The two checks the way they read most simply: every report against
    /// every other report of its claim.
    fn by_hand(case: &Case) -> (Vec<String>, Vec<String>) {
        let id = |s: u32| case.source_id(s).to_owned();
        let claim = |c: u32| case.claim(c).id.clone();
        let mut later = Vec::new();
        let mut stances = Vec::new();
        for r in &case.reports {
            let of = |u: u32| {
                case.reports
                    .iter()
                    .filter(move |q| q.claim == r.claim && q.source == u)
            };
            if let (Stance::Support, Some(d)) = (r.stance, r.date) {
                for &u in &r.cites {
                    if let Some(e) = of(u).filter_map(|q| q.date).min() {
                        if d.last_day() < e.first_day() {
                            later.push(format!(
                                "cites a later report: `{}` ({d}) cites `{}`, whose earliest report of `{}` is dated {e}",
                                id(r.source),
                                id(u),
                                claim(r.claim)
                            ));
                        }
                    }
                }
            }
            let supports = |u: u32| of(u).any(|q| q.stance == Stance::Support);
            match r.stance {
                Stance::Deny => {
                    for &u in r.cites.iter().filter(|&&u| supports(u)) {
                        stances.push(format!(
                            "the deny report by `{}` cites `{}`, which supports `{}`: this makes `{}` an origin of the denial",
                            id(r.source),
                            id(u),
                            claim(r.claim),
                            id(u)
                        ));
                    }
                }
                Stance::Retract if !supports(r.source) => stances.push(format!(
                    "`{}` retracts `{}`, but has no support report of it",
                    id(r.source),
                    claim(r.claim)
                )),
                Stance::Retract if !r.cites.is_empty() => stances.push(format!(
                    "the retraction by `{}` of `{}` cites sources",
                    id(r.source),
                    claim(r.claim)
                )),
                _ => {}
            }
        }
        (later, stances)
    }

    #[test]
    fn the_checks_across_reports_find_what_a_check_of_every_pair_finds() {
        // The last case has more deny and retract reports than one chunk of
        // messages holds.
        for (n, seed) in [(1, 1), (30, 2), (300, 3), (2000, 4), (15_000, 5)] {
            let case = case(n, seed);
            let (mut later, mut stances) = (Vec::new(), Vec::new());
            // Grouped by the first check, read by the second.
            let by_claim = OnceLock::new();
            cites_later(&case, &by_claim, &mut later);
            stances_across_reports(&case, &by_claim, &mut stances);
            let (later_by_hand, stances_by_hand) = by_hand(&case);
            let messages =
                |d: &[Diagnostic]| d.iter().map(|d| d.message.clone()).collect::<Vec<_>>();
            assert_eq!(messages(&later), later_by_hand, "{n} reports");
            assert_eq!(messages(&stances), stances_by_hand, "{n} reports");
            // In the order of the reports, each at its report's line.
            for d in [&later, &stances] {
                let lines: Vec<_> = d.iter().map(|d| d.at.line).collect();
                assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{n} reports");
            }
            if n >= 2000 {
                assert!(!later.is_empty() && stances.len() > 100, "{n} reports");
            }
        }
    }

    /// The reports made apart, a chunk at a time on rayon's threads, are the
    /// reports made one by one: the same case and the same messages, for
    /// tables read in several pieces, with claims declared or not, rows
    /// without a source or a claim, reports citing their own source, a
    /// basis beside cites, and several chunks a piece.
    #[test]
    fn reports_made_apart_are_the_reports_made_one_by_one() {
        use crate::load::table::from_csv_in;
        use crate::load::TableOptions;
        for seed in 1..=12u64 {
            let mut next = numbers(seed);
            let mut tables = Vec::new();
            if seed % 2 == 0 {
                tables.push("id,text\nc1,one\nc4,four\n".to_string());
            }
            for _ in 0..1 + next(3) {
                let mut t = String::from("source,claim,cites,stance,basis,date,url\n");
                for _ in 0..100 + next(400) {
                    let source = match next(30) {
                        0 => String::new(),
                        _ => format!("s{}", next(60)),
                    };
                    let claim = match next(40) {
                        0 => String::new(),
                        _ => format!("c{}", next(8)),
                    };
                    let cites: Vec<String> =
                        (0..next(4)).map(|_| format!("s{}", next(60))).collect();
                    let stance = ["", "support", "deny", "retract"][next(4) as usize];
                    let basis = ["", "", "undisclosed", "first-hand"][next(4) as usize];
                    let date = match next(3) {
                        0 => String::new(),
                        1 => format!("{}", 2015 + next(3)),
                        _ => format!("2016-{:02}-{:02}", 1 + next(12), 1 + next(28)),
                    };
                    let url = if next(5) == 0 {
                        "https://example.org/a"
                    } else {
                        ""
                    };
                    t.push_str(&format!(
                        "{source},{claim},{},{stance},{basis},{date},{url}\n",
                        cites.join(";")
                    ));
                }
                tables.push(t);
            }
            let files: Vec<FileText> = tables
                .into_iter()
                .enumerate()
                .map(|(k, t)| FileText::table(format!("t{k}.csv"), t, b',', None))
                .collect();
            let raws = || {
                let mut raws = Vec::new();
                for (fi, file) in files.iter().enumerate() {
                    let pieces = from_csv_in(file, &TableOptions::default(), &mut Vec::new(), 2000);
                    raws.extend(pieces.into_iter().map(|raw| (fi, raw)));
                }
                raws
            };
            assert!(raws().len() > files.len(), "seed {seed}: tables in pieces");
            let (mut one_by_one, mut apart) = (Vec::new(), Vec::new());
            let expected = build_in(&files, raws(), &mut one_by_one, None);
            for chunk in [1, 7, 1 << 15] {
                apart.clear();
                let case = build_in(&files, raws(), &mut apart, Some(chunk));
                assert_eq!(case, expected, "seed {seed}, chunks of {chunk}");
                assert_eq!(apart, one_by_one, "seed {seed}, chunks of {chunk}");
            }
            assert!(!expected.reports.is_empty(), "seed {seed}");
        }
    }
}
