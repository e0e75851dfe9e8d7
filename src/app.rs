//! What each command does, from parsed arguments to written output: load the
//! case, run the analysis, render, write. The binary calls [`run`] and maps
//! its result to an exit code.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use crate::analysis::{self, ClaimAnalysis};
use crate::cli::{
    AnalyzeArgs, CaseArgs, CheckArgs, Cli, Command, DotArgs, Format, Render, TraceArgs,
    ValidateArgs,
};
use crate::diag::{nearest, Diagnostic};
use crate::dot::{self, Picture};
use crate::error::{Error, Result};
use crate::load::{self, Input, LoadOptions, Loaded};
use crate::model::{Case, ClaimIdx};
use crate::output;
use crate::report::{self, Counting};

/// How a successful run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything done; every check passed.
    Ok,
    /// `check` found a claim below the threshold.
    CheckFailed,
}

/// Runs one command.
pub fn run(cli: &Cli) -> Result<Outcome> {
    match &cli.command {
        Command::Analyze(a) => analyze(a),
        Command::Check(a) => check(a),
        Command::Trace(a) => trace(a),
        Command::Dot(a) => draw(a),
        Command::Validate(a) => validate(a),
    }
}

/// The claims named with `--claim`, in the order given, or every claim.
fn select_claims(case: &Case, ids: &[String]) -> Result<Vec<ClaimIdx>> {
    if ids.is_empty() {
        return Ok((0..case.claims.len() as ClaimIdx).collect());
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(i) = case.claim_index(id) else {
            let suggestion =
                nearest(id, case.claims.iter().map(|c| c.id.as_str())).map(str::to_owned);
            return Err(Error::UnknownClaim {
                id: id.clone(),
                suggestion,
            });
        };
        if !out.contains(&i) {
            out.push(i);
        }
    }
    Ok(out)
}

/// A spinner on standard error for work that takes more than a second,
/// shown only when standard error is a terminal; cleared when dropped.
struct Spinner(Option<indicatif::ProgressBar>);

impl Spinner {
    fn start(message: &str) -> Spinner {
        if !std::io::stderr().is_terminal() {
            return Spinner(None);
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
        bar.set_message(message.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        let show = bar.downgrade();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(1));
            if let Some(bar) = show.upgrade().filter(|b| !b.is_finished()) {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        });
        Spinner(Some(bar))
    }

    fn say(&self, message: String) {
        if let Some(bar) = &self.0 {
            bar.set_message(message);
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Loads the case and analyses the selected claims, with a spinner for long runs.
fn load_and_analyze(args: &CaseArgs, ids: &[String]) -> Result<(Loaded, Vec<ClaimAnalysis>)> {
    let spinner = Spinner::start("loading the case");
    let loaded = load_case(args)?;
    let claims = select_claims(&loaded.case, ids)?;
    spinner.say(format!(
        "analysing {} claims, {} reports",
        claims.len(),
        loaded.case.reports.len()
    ));
    let analyses = analysis::analyze(&loaded.case, &claims);
    Ok((loaded, analyses))
}

fn analyze(args: &AnalyzeArgs) -> Result<Outcome> {
    let (loaded, analyses) = load_and_analyze(&args.case, &args.claim)?;
    let case = &loaded.case;
    let text = match args.format {
        Format::Text => report::text(
            case,
            &analyses,
            Counting {
                anonymous: args.count_anonymous,
            },
        ),
        Format::Json => report::json(case, &analyses, &loaded.warnings),
    };
    output::emit(args.output.as_deref(), text.as_bytes())?;
    Ok(Outcome::Ok)
}

fn check(args: &CheckArgs) -> Result<Outcome> {
    let (loaded, analyses) = load_and_analyze(&args.case, &args.claim)?;
    let case = &loaded.case;
    let counting = Counting {
        anonymous: args.count_anonymous,
    };
    let (text, all_pass) = report::check(case, &analyses, args.min_independent, counting);
    output::emit(args.output.as_deref(), text.as_bytes())?;
    Ok(if all_pass {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

fn trace(args: &TraceArgs) -> Result<Outcome> {
    let loaded = load_case(&args.case)?;
    let case = &loaded.case;
    let claim = select_claims(case, std::slice::from_ref(&args.claim))?[0];
    let reports = &case.reports_by_claim()[claim as usize];
    let a = analysis::analyze_claim(case, claim, reports);
    let Some(source) = case.source_index(&args.source) else {
        let ids = case.sources.iter().map(|s| s.id.as_str());
        return Err(Error::UnknownSource {
            id: args.source.clone(),
            suggestion: nearest(&args.source, ids).map(str::to_owned),
        });
    };
    if !a.sources.iter().any(|f| f.source == source) {
        let of_claim = || reports.iter().map(|&r| &case.reports[r as usize]);
        let own = dedup(
            of_claim()
                .filter(|r| r.source == source)
                .map(|r| r.stance.as_str())
                .collect(),
        );
        let why = if !own.is_empty() {
            format!("its reports of the claim are {} only", own.join(", "))
        } else if of_claim().any(|r| r.cites.contains(&source)) {
            "only reports that do not support the claim cite it".to_owned()
        } else {
            "it has no report of the claim and no report of the claim cites it".to_owned()
        };
        return Err(Error::NotInGraph {
            id: args.source.clone(),
            claim: args.claim.clone(),
            why,
        });
    }
    let t = analysis::trace(case, &a, reports, source, args.max_paths);
    let text = report::trace(case, &a, &t, args.max_paths);
    output::emit(args.output.as_deref(), text.as_bytes())?;
    Ok(Outcome::Ok)
}

/// The distinct words of a list, in first-seen order.
fn dedup(words: Vec<&str>) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for w in words {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

fn draw(args: &DotArgs) -> Result<Outcome> {
    let (loaded, analyses) = load_and_analyze(&args.case, &args.claim)?;
    let case = &loaded.case;
    let text = dot::render(case, &analyses);
    let picture = args.render.map(|r| match r {
        Render::Svg => Picture::Svg,
        Render::Png => Picture::Png,
        Render::Pdf => Picture::Pdf,
    });
    match picture {
        None => output::emit(args.output.as_deref(), text.as_bytes())?,
        Some(p) => output::emit(args.output.as_deref(), &dot::render_picture(&text, p)?)?,
    }
    Ok(Outcome::Ok)
}

/// Loads the case and prints its warnings to standard error.
fn load_case(args: &CaseArgs) -> Result<Loaded> {
    let inputs: Vec<Input> = args.files.iter().map(|f| Input::from_arg(f)).collect();
    let loaded = load::load(
        &inputs,
        &LoadOptions {
            strict: args.strict,
        },
    )?;
    if !args.quiet {
        print_diagnostics(&loaded.warnings);
    }
    Ok(loaded)
}

/// Prints messages to standard error, one block each.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}

fn validate(args: &ValidateArgs) -> Result<Outcome> {
    let loaded = load_case(&args.case)?;
    let case = &loaded.case;
    let n = loaded.warnings.len();
    let summary = format!(
        "{}: {}, {}, {}; no errors, {}\n",
        args.case.files.join(", "),
        report::plural(case.sources.len() as u32, "source", "sources"),
        report::plural(case.claims.len() as u32, "claim", "claims"),
        report::plural(case.reports.len() as u32, "report", "reports"),
        report::plural(n as u32, "warning", "warnings"),
    );
    output::emit(None, summary.as_bytes())?;
    Ok(Outcome::Ok)
}
