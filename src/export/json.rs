//! `analyze --format json`: one JSON object, the contract documented field
//! by field in docs/method.md, written by serde_json with the layout of its
//! pretty printer (two spaces a level).
//!
//! An earlier version wrote this JSON by hand, claim by claim in parallel.
//! Measured on a million reports over 10,000 claims (`analyze FILE --format
//! json > /dev/null`, median of 5, the same bytes either way), serde_json
//! took 3.66 s and 710 MiB, the hand-written writer 3.81 s and 840 MiB; on
//! one claim of 100,000 sources both took 0.77 s. serde_json is kept, with
//! one exception: the objects of each claim's `sources`, which are most of
//! the output, are written by `Pretty::write_sources` in serde's layout
//! (measured there; a property test holds it to serde's bytes).
//!
//! [`json_to`] streams: each claim's part is built and written in turn, so
//! the output never sits whole in memory (on the million-report corpus the
//! JSON is 281 MB). [`json_analysing_to`] also analyses as it writes: the
//! claims are analysed in windows, two windows at a time, as tasks on
//! rayon's threads, and each claim's JSON is made there too; the writer
//! copies the windows' bytes out in order. On the million-report corpus,
//! five runs each, alternating: 1.34–1.59 s (median 1.51 s) against
//! 1.41–1.73 s (median 1.56 s) for analysing first, when one window was
//! analysed at a time and the writer made the JSON. That writer took one
//! core for most of the run, and a claim much larger than the others held
//! the other core alone. With the JSON made on rayon's threads and two
//! windows under way (five runs each, alternating, on a slower day): the
//! steep corpus (its largest claim 227,989 reports) 2.16–2.74 s (median
//! 2.49 s) against 1.81–2.70 s (median 2.30 s), the default corpus
//! 1.79–2.06 s (median 2.01 s) against 1.82–2.11 s (median 1.88 s), for
//! 35 to 55 MiB more memory. Four windows under way used 100 MiB more and
//! were no faster.

use std::io::{self, BufWriter, Write};
use std::sync::mpsc;

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::{ClaimAnalysis, RootGroup, SourceFigures};
use crate::diag::Diagnostic;
use crate::model::{Case, ClaimIdx, Kind, Prefetch, SourceIdx};

/// The whole output, in the order of docs/method.md's contract, with an
/// empty array for the claims: [`write_out`] writes the claims in its place.
#[derive(Serialize)]
struct JsonOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<JsonAsOf>,
    claims: [(); 0],
    warnings: Vec<String>,
}

/// The elements of a slice, each turned into its JSON structure by `f` only
/// as it is written: the sources of a claim of a million would otherwise sit
/// in memory twice, once as figures and once as their JSON structures
/// (80 MB more at the peak of the million-long chain).
struct Each<'a, T, U> {
    case: &'a Case,
    items: &'a [T],
    f: fn(&'a Case, &'a T) -> U,
}

impl<'a, T, U> Each<'a, T, U> {
    fn new(case: &'a Case, items: &'a [T], f: fn(&'a Case, &'a T) -> U) -> Self {
        Each { case, items, f }
    }

    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<'a, T, U: Serialize> Serialize for Each<'a, T, U> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter().map(|x| (self.f)(self.case, x)))
    }
}

#[derive(Serialize)]
struct JsonClaim<'a, S: Serialize> {
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
    roots: Each<'a, RootGroup, JsonGroup<'a>>,
    /// [`SourcesHere`]: written by [`Pretty`] itself.
    sources: S,
    denials: JsonDenials<'a>,
    loops: Each<'a, RootGroup, JsonGroup<'a>>,
    first_supported: Option<String>,
    credibility: &'static str,
    credibility_reason: String,
}

#[derive(Serialize)]
struct JsonAsOf {
    date: String,
    later: u32,
    undated: u32,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    sources: Each<'a, SourceIdx, &'a str>,
    circular: bool,
    anonymous: bool,
    basis: &'static str,
    retracted: bool,
    reach: u32,
    #[serde(skip_serializing_if = "Each::is_empty")]
    cycle: Each<'a, SourceIdx, &'a str>,
    members: Each<'a, SourceIdx, JsonMember<'a>>,
    cascade: Option<JsonCascade>,
}

#[derive(Serialize)]
struct JsonCascade {
    size: u32,
    depth: u32,
    max_breadth: u32,
    structural_virality: f64,
}

#[derive(Serialize)]
struct JsonMember<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
}

/// A source's figures as serde writes them: the layout that
/// [`Pretty::write_sources`] writes by hand, kept as its oracle.
#[cfg(test)]
#[derive(Serialize)]
struct JsonSource<'a> {
    id: &'a str,
    roots: u32,
    chains: u32,
    name: &'a str,
    kind: &'static str,
    /// Written as a one-letter string.
    reliability: Option<char>,
}

#[derive(Serialize)]
struct JsonDenials<'a> {
    independent: u32,
    roots: Each<'a, RootGroup, JsonGroup<'a>>,
}

fn source_id<'a>(case: &'a Case, s: &'a SourceIdx) -> &'a str {
    case.source_id(*s)
}

fn json_member<'a>(case: &'a Case, &s: &'a SourceIdx) -> JsonMember<'a> {
    JsonMember {
        id: case.source_id(s),
        name: case.source_name(s),
        kind: case.source(s).kind.as_str(),
    }
}

#[cfg(test)]
fn json_source<'a>(case: &'a Case, s: &'a SourceFigures) -> JsonSource<'a> {
    let source = case.source(s.source);
    JsonSource {
        id: case.source_id(s.source),
        roots: s.roots,
        chains: s.chains,
        name: case.source_name(s.source),
        kind: source.kind.as_str(),
        reliability: source.reliability,
    }
}

fn json_group<'a>(case: &'a Case, g: &'a RootGroup) -> JsonGroup<'a> {
    JsonGroup {
        sources: Each::new(case, &g.sources, source_id),
        circular: g.circular,
        anonymous: g.anonymous,
        basis: g.basis.as_str(),
        retracted: g.retracted,
        reach: g.reach,
        cycle: Each::new(case, &g.cycle, source_id),
        members: Each::new(case, &g.sources, json_member),
        cascade: g.cascade.map(|c| JsonCascade {
            size: c.size,
            depth: c.depth,
            max_breadth: c.max_breadth,
            structural_virality: c.structural_virality(),
        }),
    }
}

/// The claim's JSON structure, with `sources` in its place.
fn json_claim<'a, S: Serialize>(
    case: &'a Case,
    a: &'a ClaimAnalysis,
    sources: S,
) -> JsonClaim<'a, S> {
    let (credibility, credibility_reason) = super::credibility(case, a);
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
        roots: Each::new(case, &a.roots, json_group),
        sources,
        denials: JsonDenials {
            independent: a.denials.independent,
            roots: Each::new(case, &a.denials.roots, json_group),
        },
        loops: Each::new(case, &a.loops, json_group),
        first_supported: a.first_supported.map(|d| d.to_string()),
        credibility: credibility.as_str(),
        credibility_reason,
    }
}

fn json_warnings(warnings: &[Diagnostic]) -> Vec<String> {
    warnings
        .iter()
        .map(|d| format!("{}: {}", d.at, d.message))
        .collect()
}

/// The JSON of `analyze --format json`, as docs/method.md fixes it (with
/// `title`, `loops`, `first_supported`, each circular group's `cycle`, and
/// the names and kinds of sources and members added).
pub fn json(case: &Case, analyses: &[ClaimAnalysis], warnings: &[Diagnostic]) -> String {
    let mut out = Vec::new();
    json_to(&mut out, case, analyses, warnings).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`json`], written to `w` as it is made.
pub fn json_to(
    w: &mut dyn Write,
    case: &Case,
    analyses: &[ClaimAnalysis],
    warnings: &[Diagnostic],
) -> io::Result<()> {
    let ctx = Sources::new(case);
    write_out(w, case, analyses.len(), warnings, &mut |w, k| {
        write_claim(w, &ctx, &analyses[k])
    })
}

/// The least number of reports in a window of [`json_analysing_to`] that
/// `analyze` uses: enough work for both cores, and a first window that is
/// soon done.
pub const WINDOW_REPORTS: usize = 1 << 16;

/// [`json_to`] for `claims`, each analysed by `analyze` (given a window of
/// consecutive claims of at least `window_reports` reports, it returns their
/// analyses in order) on a thread of its own while the claims before are
/// written. The output is the same bytes as [`json_to`] of all the
/// analyses; they are returned, in order.
///
/// The JSON of each claim of a window is made on rayon's threads once the
/// window is analysed, so that the writer only copies bytes: made by the
/// writer, the JSON took one core for most of the run on the corpora. A
/// claim of more than four windows' reports is made by the writer as it
/// writes it, so that its JSON never sits whole in memory.
pub fn json_analysing_to(
    w: &mut dyn Write,
    case: &Case,
    claims: &[ClaimIdx],
    reports_of: &[Vec<u32>],
    warnings: &[Diagnostic],
    analyze: &(dyn Fn(&[ClaimIdx]) -> Vec<ClaimAnalysis> + Sync),
    window_reports: usize,
) -> io::Result<Vec<ClaimAnalysis>> {
    // Consecutive claims of at least `window_reports` reports (the last
    // window may have fewer): where each window ends.
    let mut ends = Vec::new();
    let mut reports = 0;
    for (k, &c) in claims.iter().enumerate() {
        reports += reports_of[c as usize].len();
        if reports >= window_reports {
            ends.push(k + 1);
            reports = 0;
        }
    }
    if ends.last() != Some(&claims.len()) {
        ends.push(claims.len());
    }
    if ends.len() == 1 {
        // Nothing to write while the one window is analysed.
        let analyses = analyze(claims);
        json_to(w, case, &analyses, warnings)?;
        return Ok(analyses);
    }
    let made_apart = |a: &ClaimAnalysis| a.reports as usize <= 4 * window_reports;
    // Each window is analysed, and its claims' JSON made, as a task on
    // rayon's threads; at most `AHEAD` windows are under way or waiting to be
    // written, each sending its result on a channel of its own, which the
    // writer reads in order.
    // Each claim's JSON, when it was made apart (`None`: made by the writer).
    type Window = (Vec<ClaimAnalysis>, Vec<Option<Vec<u8>>>);
    let (senders, receivers): (Vec<_>, Vec<_>) =
        ends.iter().map(|_| mpsc::sync_channel::<Window>(1)).unzip();
    let (free_tx, free_rx) = mpsc::sync_channel::<()>(AHEAD);
    for _ in 0..AHEAD {
        free_tx
            .send(())
            .expect("the channel has room for every token");
    }
    let mut done: Vec<ClaimAnalysis> = Vec::with_capacity(claims.len());
    let ctx = &Sources::new(case);
    let written = std::thread::scope(|scope| {
        scope.spawn(move || {
            rayon::in_place_scope(|tasks| {
                let mut from = 0;
                for (&to, tx) in ends.iter().zip(senders) {
                    // The writer stopped (an error): no more windows.
                    if free_rx.recv().is_err() {
                        break;
                    }
                    let window = &claims[from..to];
                    tasks.spawn(move |_| {
                        let analyses = analyze(window);
                        let made: Vec<Option<Vec<u8>>> = analyses
                            .par_iter()
                            .map(|a| {
                                made_apart(a).then(|| {
                                    let mut out = Vec::new();
                                    write_claim(&mut out, ctx, a)
                                        .expect("writing to memory cannot fail");
                                    out
                                })
                            })
                            .collect();
                        let _ = tx.send((analyses, made));
                    });
                    from = to;
                }
            });
        });
        let mut receivers = receivers.into_iter();
        let mut window: Window = Default::default();
        let mut at = 0;
        let written = write_out(w, case, claims.len(), warnings, &mut |w, _| {
            if at == window.0.len() {
                if !window.0.is_empty() {
                    done.append(&mut window.0);
                    // Room for one more window.
                    let _ = free_tx.send(());
                }
                window = receivers
                    .next()
                    .and_then(|rx| rx.recv().ok())
                    .ok_or_else(|| io::Error::other("the analysis ended before its last window"))?;
                at = 0;
            }
            match window.1[at].take() {
                Some(made) => w.write_all(&made)?,
                None => write_claim(w, ctx, &window.0[at])?,
            }
            at += 1;
            Ok(())
        });
        done.append(&mut window.0);
        // When writing failed, the analysis finds no more room, and ends.
        drop((free_tx, receivers));
        written
    });
    written?;
    Ok(done)
}

/// How many windows of [`json_analysing_to`] may be under way or waiting
/// to be written at once: enough that a claim much larger than the others
/// has a core to itself while the other core goes on with the window after
/// it.
const AHEAD: usize = 2;

/// The JSON of one claim, as an element of the output's `claims` array
/// (its inner lines indented for that depth, no line break in front).
fn write_claim<W: Write>(w: &mut W, ctx: &Sources<'_>, a: &ClaimAnalysis) -> io::Result<()> {
    let case = ctx.case;
    let mut ser = serde_json::Serializer::with_formatter(
        w,
        Pretty {
            level: CLAIM_LEVEL,
            has_value: false,
            sources: Some((ctx, &a.sources)),
        },
    );
    json_claim(case, a, SourcesHere)
        .serialize(&mut ser)
        .map_err(io::Error::from)
}

/// Stands for a claim's `sources` in its JSON structure: serialized as bytes,
/// the one thing the output never holds, so that [`Pretty`] writes the
/// sources there itself.
struct SourcesHere;

/// How many sources ahead [`Pretty::write_sources`] asks for the id of the
/// source it will write, and twice as many for its record. With ids in no
/// order, each source's record and id lie anywhere among megabytes: on the
/// million-long chain with shuffled ids, its sources took a median 201 ms
/// to write asking 8 ahead, 178 ms asking 32 and 168 ms asking 64, but
/// with a wider spread (5 alternating runs).
const SOURCES_AHEAD: usize = 32;

impl Serialize for SourcesHere {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&[])
    }
}

/// The depth of a claim's object in the output: in the `claims` array of the
/// top object.
const CLAIM_LEVEL: usize = 2;

/// Writes the `k`-th claim to the output.
type WriteClaim<'a, 'w> =
    dyn FnMut(&mut BufWriter<&'w mut dyn Write>, usize) -> io::Result<()> + 'a;

/// Writes the whole output, with `count` claims, the `k`-th written by
/// `claim(w, k)`. serde writes the rest, with an empty array for the claims;
/// the claims are written in its place, laid out as serde lays out an array
/// (each on a line of its own, indented one level deeper than the key).
fn write_out<'w>(
    w: &'w mut dyn Write,
    case: &Case,
    count: usize,
    warnings: &[Diagnostic],
    claim: &mut WriteClaim<'_, 'w>,
) -> io::Result<()> {
    let out = JsonOut {
        title: case.title.as_deref(),
        as_of: case.as_of.map(|a| JsonAsOf {
            date: a.day_text(),
            later: a.later,
            undated: a.undated,
        }),
        claims: [],
        warnings: json_warnings(warnings),
    };
    let mut rest = Vec::new();
    out.serialize(&mut serde_json::Serializer::with_formatter(
        &mut rest,
        Pretty::default(),
    ))
    .map_err(io::Error::from)?;
    // A key of the top object starts a line of its own, and no string holds
    // a line break unescaped: this is where the empty array of claims is.
    const EMPTY: &[u8] = b"\n  \"claims\": []";
    let at = rest
        .windows(EMPTY.len())
        .position(|x| x == EMPTY)
        .expect("the output has a claims key")
        + EMPTY.len()
        - 1;
    let mut w = BufWriter::with_capacity(1 << 16, w);
    w.write_all(&rest[..at])?;
    for k in 0..count {
        if k > 0 {
            w.write_all(b",")?;
        }
        line_at(&mut w, CLAIM_LEVEL)?;
        claim(&mut w, k)?;
    }
    if count > 0 {
        line_at(&mut w, CLAIM_LEVEL - 1)?;
    }
    w.write_all(&rest[at..])?;
    w.write_all(b"\n")?;
    w.flush()
}

/// A line break and the indentation of the deepest level written in one
/// piece; deeper levels (the output has at most nine) are written in turns.
const BREAK: &[u8; 65] = b"\n                                                                ";

/// The output of serde_json's `PrettyFormatter` (two spaces a level), byte
/// for byte, with each line break and its indentation written in one call:
/// `PrettyFormatter` writes the indentation two bytes a level, which was a
/// fifth of the time of writing the million-report corpus's 281 MB.
#[derive(Default)]
struct Pretty<'a> {
    level: usize,
    has_value: bool,
    /// The figures of the claim's sources, written where [`SourcesHere`]
    /// stands.
    sources: Option<(&'a Sources<'a>, &'a [SourceFigures])>,
}

impl Pretty<'_> {
    fn new_line<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        line_at(w, self.level)
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.new_line(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.new_line(w)
    }

    /// The array of a claim's sources, as serde writes it from the tests'
    /// `JsonSource`s, written here directly.
    ///
    /// These objects are most of the output (the steep corpus's 247 MB hold
    /// 790,816 of them), and serde's way through them, a call of the
    /// formatter for every key, value and separator, took a fifth of the
    /// CPU time of analysing and writing that corpus: 0.35 of 1.7 s
    /// (measured by leaving the sources out). Written here, the whole takes
    /// 1.3–1.4 s. The separators, breaks and keys between two values are
    /// made once a claim and copied in one piece, and the objects go out a
    /// batch at a time: on the million-long chain with shuffled ids, writing
    /// took a median 147 ms against 174 ms with every key built a piece at a
    /// time and each object written on its own (15 alternating runs). A
    /// property test, and one of a claim of 19,384 sources, hold this
    /// writer to serde's bytes.
    fn write_sources<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        ctx: &Sources<'_>,
        sources: &[SourceFigures],
    ) -> io::Result<()> {
        let case = ctx.case;
        if sources.is_empty() {
            return w.write_all(b"[]");
        }
        let (outer, item, field) = (self.level, self.level + 1, self.level + 2);
        // Every separator, line break, indentation and key a source's object
        // holds, made once: the bytes between two values are one copy.
        let text = |comma: bool, level: usize, after: &[u8]| {
            let mut t = Vec::with_capacity(2 * level + 24);
            if comma {
                t.push(b',');
            }
            line_at(&mut t, level).expect("writing to memory cannot fail");
            t.extend_from_slice(after);
            t
        };
        let first_open = text(false, item, b"{");
        let open = text(true, item, b"{");
        let [id, roots, chains, name, kind, reliability] = [
            text(false, field, b"\"id\": "),
            text(true, field, b"\"roots\": "),
            text(true, field, b"\"chains\": "),
            text(true, field, b"\"name\": "),
            text(true, field, b"\"kind\": "),
            text(true, field, b"\"reliability\": "),
        ];
        let close = text(false, item, b"}");
        let plain = &ctx.plain;
        let mut numbers = itoa::Buffer::new();
        // The objects go to the output a batch at a time.
        let mut buf = Vec::with_capacity(SOURCES_BATCH + 1024);
        buf.push(b'[');
        for (k, s) in sources.iter().enumerate() {
            // A source's record and where its id lies, then its id, asked
            // for twice and once SOURCES_AHEAD sources before it is written.
            if let Some(ahead) = sources.get(k + 2 * SOURCES_AHEAD) {
                let step = if plain.has(ahead.source) {
                    Prefetch::End
                } else {
                    Prefetch::Record
                };
                case.prefetch_source(ahead.source, step);
            }
            if let Some(ahead) = sources.get(k + SOURCES_AHEAD) {
                case.prefetch_source(ahead.source, Prefetch::Id);
            }
            buf.extend_from_slice(if k == 0 { &first_open } else { &open });
            let own_id = case.source_id(s.source);
            // A plain source's record is not read: its name is its id, its
            // kind unknown, and it has no grade.
            let (name_of, kind_of, grade) = if plain.has(s.source) {
                (own_id, Kind::Unknown, None)
            } else {
                let source = case.source(s.source);
                (case.source_name(s.source), source.kind, source.reliability)
            };
            buf.extend_from_slice(&id);
            escaped(&mut buf, own_id);
            buf.extend_from_slice(&roots);
            buf.extend_from_slice(numbers.format(s.roots).as_bytes());
            buf.extend_from_slice(&chains);
            buf.extend_from_slice(numbers.format(s.chains).as_bytes());
            buf.extend_from_slice(&name);
            escaped(&mut buf, name_of);
            buf.extend_from_slice(&kind);
            escaped(&mut buf, kind_of.as_str());
            buf.extend_from_slice(&reliability);
            match grade {
                Some(c) => escaped(&mut buf, c.encode_utf8(&mut [0; 4])),
                None => buf.extend_from_slice(b"null"),
            }
            buf.extend_from_slice(&close);
            if buf.len() >= SOURCES_BATCH {
                w.write_all(&buf)?;
                buf.clear();
            }
        }
        line_at(&mut buf, outer).expect("writing to memory cannot fail");
        buf.push(b']');
        w.write_all(&buf)
    }
}

/// What [`Pretty::write_sources`] reads besides a claim's figures: the case,
/// and which of its sources are plain, found once an output.
struct Sources<'a> {
    case: &'a Case,
    plain: Plain,
}

impl<'a> Sources<'a> {
    fn new(case: &'a Case) -> Sources<'a> {
        Sources {
            case,
            plain: Plain::of(case),
        }
    }
}

/// One bit a source of the case, set for a plain source: no name of its
/// own, kind `unknown`, no grade, as every source only named by reports is.
///
/// A claim's sources are written in the order of their ids, and where the
/// ids follow no order each source's record (40 bytes, among 40 MB for a
/// million sources) is a read at a random place. Its bit is 125 KiB for a
/// million sources, and the record is read only when the bit is clear. On
/// the million-long chain with shuffled ids, writing took a median 198 ms
/// reading every record, and 131 ms reading none (11 alternating runs).
/// Finding the bits reads the records once, in order: a few milliseconds
/// for a million sources, whatever the size of the claims. Used for claims
/// of 16,384 sources or more only, the default corpus (its largest claim
/// 39,632 reports, most of them far smaller) took a median 1.40 s and 2.33
/// s of CPU time; with every claim, 1.34 s and 2.25 s (11 alternating runs).
struct Plain(Vec<u64>);

impl Plain {
    fn of(case: &Case) -> Plain {
        let plain = |s: &crate::model::Source| {
            s.name.is_none() && s.kind == Kind::Unknown && s.reliability.is_none()
        };
        Plain(
            case.sources
                .chunks(64)
                .map(|chunk| {
                    chunk
                        .iter()
                        .enumerate()
                        .fold(0u64, |word, (j, s)| word | u64::from(plain(s)) << j)
                })
                .collect(),
        )
    }

    fn has(&self, i: SourceIdx) -> bool {
        self.0[i as usize / 64] >> (i % 64) & 1 == 1
    }
}

/// How many bytes of sources' objects [`Pretty::write_sources`] gathers
/// before it hands them to the output: one write for a few hundred objects,
/// not one for each.
const SOURCES_BATCH: usize = 1 << 15;

/// A line break and the indentation of `level`.
fn line_at<W: ?Sized + Write>(w: &mut W, level: usize) -> io::Result<()> {
    let mut spaces = 2 * level;
    let first = spaces.min(BREAK.len() - 1);
    w.write_all(&BREAK[..1 + first])?;
    spaces -= first;
    while spaces > 0 {
        let n = spaces.min(BREAK.len() - 1);
        w.write_all(&BREAK[1..1 + n])?;
        spaces -= n;
    }
    Ok(())
}

/// A JSON string as serde_json writes it: quoted, and escaped only when it
/// holds a quote, a backslash or a control character (ids and names almost
/// never do).
fn escaped(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        serde_json::to_writer(buf, s).expect("writing to memory cannot fail");
    } else {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    }
}

impl serde_json::ser::Formatter for Pretty<'_> {
    /// Only [`SourcesHere`] serializes bytes: the claim's sources are written
    /// there.
    fn write_byte_array<W: ?Sized + Write>(&mut self, w: &mut W, value: &[u8]) -> io::Result<()> {
        match self.sources.take() {
            Some((ctx, sources)) if value.is_empty() => self.write_sources(w, ctx, sources),
            _ => Err(io::Error::other("bytes in the JSON output")),
        }
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::load::{load_str, Format, LoadOptions};

    #[test]
    fn the_layout_is_serde_jsons_pretty_printers_byte_for_byte() {
        // Empty and nested arrays and objects, and nesting deeper than one
        // piece of indentation holds.
        let mut deep = serde_json::json!({"x": [1, {}, [], "s"]});
        for k in 0..40 {
            deep = serde_json::json!({ "k": k, "a": [deep.clone(), [], {}], "o": {} });
        }
        let mut ours = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut ours, Pretty::default());
        deep.serialize(&mut ser).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string_pretty(&deep).unwrap()
        );
    }

    /// A case of `claims` claims, claim `c` with `c % 5 + 1` reports in a
    /// chain, and some circular.
    fn many_claims(claims: usize) -> crate::load::Loaded {
        let mut text = String::from("source,claim,cites\n");
        for c in 0..claims {
            for k in 0..=c % 5 {
                let cites = if k > 0 {
                    format!("s{}", k - 1)
                } else if c % 3 == 0 {
                    "s4".to_owned()
                } else {
                    String::new()
                };
                text.push_str(&format!("s{k},c{c},{cites}\n"));
            }
        }
        load_str("case.csv", &text, Format::Csv, &LoadOptions::default()).unwrap()
    }

    #[test]
    fn analysing_while_writing_gives_the_same_bytes_with_any_windows() {
        let loaded = many_claims(40);
        let case = &loaded.case;
        let claims: Vec<ClaimIdx> = (0..case.claims.len() as ClaimIdx).collect();
        let all = analyze(case, &claims);
        let expected = json(case, &all, &loaded.warnings);
        let by_claim = case.reports_by_claim();
        let windows = std::sync::Mutex::new(Vec::new());
        let analyse = |window: &[ClaimIdx]| {
            windows.lock().unwrap().push(window.len());
            analyze(case, window)
        };
        for window_reports in [1, 2, 7, 30, 1000] {
            windows.lock().unwrap().clear();
            let mut out = Vec::new();
            let got = json_analysing_to(
                &mut out,
                case,
                &claims,
                &by_claim,
                &loaded.warnings,
                &analyse,
                window_reports,
            )
            .unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected,
                "windows of {window_reports} reports"
            );
            assert_eq!(got, all);
            let sizes = windows.lock().unwrap().clone();
            assert_eq!(sizes.iter().sum::<usize>(), claims.len());
            if window_reports == 1 {
                assert_eq!(sizes.len(), claims.len(), "one claim a window");
            }
        }
        // A selection of claims, in the order given.
        let some: Vec<ClaimIdx> = vec![7, 3, 30, 0];
        let mut out = Vec::new();
        json_analysing_to(
            &mut out,
            case,
            &some,
            &by_claim,
            &loaded.warnings,
            &analyse,
            2,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            json(case, &analyze(case, &some), &loaded.warnings)
        );
    }

    /// Takes `room` bytes, then fails as a closed pipe does.
    struct Closes {
        room: usize,
    }

    impl Write for Closes {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn analysing_while_writing_stops_when_writing_fails() {
        let loaded = many_claims(200);
        let case = &loaded.case;
        let claims: Vec<ClaimIdx> = (0..case.claims.len() as ClaimIdx).collect();
        let by_claim = case.reports_by_claim();
        let analysed = std::sync::atomic::AtomicUsize::new(0);
        let analyse = |window: &[ClaimIdx]| {
            analysed.fetch_add(window.len(), std::sync::atomic::Ordering::Relaxed);
            analyze(case, window)
        };
        for room in [0, 100, 5000] {
            analysed.store(0, std::sync::atomic::Ordering::Relaxed);
            let err = json_analysing_to(
                &mut Closes { room },
                case,
                &claims,
                &by_claim,
                &loaded.warnings,
                &analyse,
                3,
            )
            .unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
            // The analysis stopped soon after: not every claim was analysed.
            assert!(
                analysed.load(std::sync::atomic::Ordering::Relaxed) < claims.len(),
                "room {room}"
            );
        }
    }

    /// A claim's JSON with its sources written by serde, from [`JsonSource`].
    fn claim_by_serde(case: &Case, a: &ClaimAnalysis) -> String {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(
            &mut out,
            Pretty {
                level: CLAIM_LEVEL,
                ..Pretty::default()
            },
        );
        json_claim(case, a, Each::new(case, &a.sources, json_source))
            .serialize(&mut ser)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    proptest::proptest! {
        /// Sources with names and ids that need escaping, every kind and
        /// grade, declared or not, cited at random.
        #[test]
        fn the_sources_are_written_as_serde_writes_them(
            names in proptest::collection::vec("[a\"\\\\\n\té✓ ]{0,6}", 1..8),
            kinds in proptest::collection::vec(0usize..7, 8),
            grades in proptest::collection::vec(proptest::option::of(0u8..6), 8),
            cites in proptest::collection::vec(proptest::collection::vec(0usize..10, 0..3), 0..12),
        ) {
            let cell = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            let mut sources = String::from("id,name,kind,reliability\n");
            for (i, name) in names.iter().enumerate() {
                let kind = crate::model::Kind::ALL[kinds[i] % crate::model::Kind::ALL.len()];
                let grade = grades[i].map(|g| ((b'A' + g) as char).to_string());
                sources.push_str(&format!(
                    "s{i},{},{},{}\n",
                    cell(name),
                    kind.as_str(),
                    grade.unwrap_or_default()
                ));
            }
            // A free id (outside the id pattern) that needs escaping too.
            let mut reports = format!("source,claim,cites\n{},c,\n", cell("Q\"x\\"));
            for (k, cs) in cites.iter().enumerate() {
                let list: Vec<String> = cs
                    .iter()
                    .filter(|&&c| c != k % 10)
                    .map(|c| format!("s{c}"))
                    .collect();
                reports.push_str(&format!("s{},c,{}\n", k % 10, list.join(";")));
            }
            let tables = vec![
                ("sources.csv".to_owned(), sources),
                ("reports.csv".to_owned(), reports),
            ];
            let loaded = crate::load::load_tables(tables, &LoadOptions::default()).unwrap();
            let case = &loaded.case;
            for a in analyze(case, &[0]) {
                let mut ours = Vec::new();
                write_claim(&mut ours, &Sources::new(case), &a).unwrap();
                proptest::prop_assert_eq!(String::from_utf8(ours).unwrap(), claim_by_serde(case, &a));
            }
        }
    }

    /// Enough sources that [`Pretty::write_sources`] hands its objects to
    /// the output in several batches, and reads the bits of [`Plain`]: some
    /// sources declared with a name, a kind or a grade, some declared with
    /// none, the rest only named by reports.
    #[test]
    fn many_sources_are_written_as_serde_writes_them() {
        let n = 19_384;
        let mut declared = String::from("id,name,kind,reliability\n");
        for k in (0..n).step_by(7) {
            let kind = crate::model::Kind::ALL[k % crate::model::Kind::ALL.len()].as_str();
            match k % 4 {
                0 => declared.push_str(&format!("s{k},,,\n")),
                1 => declared.push_str(&format!("s{k},Name \"{k}\",,\n").replace("\"", "")),
                2 => declared.push_str(&format!("s{k},,{kind},\n")),
                _ => declared.push_str(&format!("s{k},,,{}\n", (b'A' + (k % 6) as u8) as char)),
            }
        }
        let mut reports = String::from("source,claim,cites\n");
        for k in 0..n {
            // Ids whose order is not the order of the reports.
            let at = |k: usize| k * 7919 % n;
            let cited = if k == 0 {
                String::new()
            } else {
                format!("s{}", at(k - 1))
            };
            reports.push_str(&format!("s{},c,{cited}\n", at(k)));
        }
        let tables = vec![
            ("sources.csv".to_owned(), declared),
            ("reports.csv".to_owned(), reports),
        ];
        let loaded = crate::load::load_tables(tables, &LoadOptions::default()).unwrap();
        let case = &loaded.case;
        let a = &analyze(case, &[0])[0];
        assert_eq!(a.sources.len(), n);
        let plain = Plain::of(case);
        let plain_ones = (0..n as SourceIdx).filter(|&i| plain.has(i)).count();
        // Every source only named by reports, and a quarter of the declared.
        assert_eq!(plain_ones, n - n.div_ceil(7) + n.div_ceil(28));
        let mut ours = Vec::new();
        write_claim(&mut ours, &Sources::new(case), a).unwrap();
        assert!(ours.len() > 4 * SOURCES_BATCH);
        assert_eq!(String::from_utf8(ours).unwrap(), claim_by_serde(case, a));
    }

    #[test]
    fn the_json_parses_and_escapes_what_it_must() {
        let text = "title = \"A \\\"quoted\\\"\\ntitle\"\n\
                    [[claims]]\nid = \"c\"\ntext = \"tab\\t quote\\\" backslash\\\\ é ✓\"\n\
                    [[reports]]\nsource = \"a\"\nclaim = \"c\"\ncites = [\"b\"]\n\
                    [[reports]]\nsource = \"b\"\nclaim = \"c\"\ncites = [\"a\"]\n";
        let loaded = load_str("case.toml", text, Format::Toml, &LoadOptions::default()).unwrap();
        let case = &loaded.case;
        let analyses = analyze(case, &[0]);
        let out = json(case, &analyses, &loaded.warnings);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["title"], "A \"quoted\"\ntitle");
        assert_eq!(v["claims"][0]["text"], "tab\t quote\" backslash\\ é ✓");
        assert_eq!(v["claims"][0]["roots"][0]["cycle"][0], "a");
        assert!(out.ends_with("}\n"));
    }
}
