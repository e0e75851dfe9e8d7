//! `rumorgraph._rumorgraph`: the Rust side of the Python package.
//!
//! Tables come in through the Arrow C stream interface (pandas, polars,
//! pyarrow, anything with `__arrow_c_stream__`), so no Python object is made
//! per row. Each table is written, column by column, into the text of a
//! comma-separated table and handed to the command line's own table loader
//! ([`rumorgraph::load::load_tables`]). That is a choice, measured: on the
//! million-report benchmark `rg.analyze(table)` takes 2.69 s where reading
//! the same CSV file by path takes 2.26 s, so the text costs about 0.4 s;
//! in return every check, message and figure is the command line's, byte for
//! byte, with nothing to keep in step. Row and column of a
//! message are mapped back to the DataFrame's row and column name.
//!
//! Results go out as Arrow tables (through pyarrow) and JSON text.

use std::fmt::Write as _;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Float64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, RecordBatch, RecordBatchReader, StringArray,
    UInt32Array,
};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Field, Schema};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;

use rumorgraph::analysis::{self, ClaimAnalysis};
use rumorgraph::diag::Diagnostic;
use rumorgraph::error::Error;
use rumorgraph::export::{self, Counting};
use rumorgraph::load::{self, Input, LoadOptions, Loaded, TableOptions};

create_exception!(_rumorgraph, LoadError, PyException);

/// One input table as comma-separated text, with where each row starts.
struct TableText {
    name: String,
    text: String,
    columns: Vec<String>,
    /// The line (1-based) on which each data row starts.
    row_lines: Vec<u32>,
}

/// Writes one field, quoted when it must be; returns the line breaks in it.
fn push_field(out: &mut String, s: &str) -> u32 {
    let needs = s.contains([',', '"', '\n', '\r'])
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace);
    let breaks = s.matches('\n').count() as u32;
    if needs {
        out.push('"');
        for c in s.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
    breaks
}

/// The text of every cell of a column: empty for null and NaN; lists of
/// strings joined with `sep`; dates and times as their day.
fn cells(array: &ArrayRef, sep: char) -> PyResult<Vec<String>> {
    let n = array.len();
    let err = |e: arrow_schema::ArrowError| PyValueError::new_err(e.to_string());
    let options = FormatOptions::new()
        .with_null("")
        .with_date_format(Some("%Y-%m-%d"))
        .with_datetime_format(Some("%Y-%m-%d"))
        .with_timestamp_format(Some("%Y-%m-%d"))
        .with_timestamp_tz_format(Some("%Y-%m-%d"));
    let float = |v: f64| {
        if v.is_nan() {
            String::new()
        } else if v.fract() == 0.0 && v.abs() < 1e15 {
            format!("{}", v as i64)
        } else {
            v.to_string()
        }
    };
    Ok(match array.data_type() {
        DataType::Float64 => {
            let a = array.as_primitive::<Float64Type>();
            (0..n)
                .map(|i| {
                    if a.is_null(i) {
                        String::new()
                    } else {
                        float(a.value(i))
                    }
                })
                .collect()
        }
        DataType::Float32 => {
            let a = array.as_primitive::<Float32Type>();
            (0..n)
                .map(|i| {
                    if a.is_null(i) {
                        String::new()
                    } else {
                        float(f64::from(a.value(i)))
                    }
                })
                .collect()
        }
        DataType::List(_) | DataType::LargeList(_) => {
            let lists: Vec<Option<ArrayRef>> = match array.data_type() {
                DataType::List(_) => array.as_list::<i32>().iter().collect(),
                _ => array.as_list::<i64>().iter().collect(),
            };
            let mut out = Vec::with_capacity(n);
            for l in lists {
                let Some(items) = l else {
                    out.push(String::new());
                    continue;
                };
                let parts = cells(&items, sep)?;
                out.push(
                    parts
                        .into_iter()
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join(&sep.to_string()),
                );
            }
            out
        }
        _ => {
            let f = ArrayFormatter::try_new(array.as_ref(), &options).map_err(err)?;
            (0..n).map(|i| f.value(i).to_string()).collect()
        }
    })
}

/// A table from Python as comma-separated text.
fn table_text(name: &str, data: AnyRecordBatch, sep: char) -> PyResult<TableText> {
    let reader = data.into_reader()?;
    let schema = reader.schema();
    let columns: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut text = String::new();
    let mut line = 1u32;
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        line += push_field(&mut text, c);
    }
    text.push('\n');
    line += 1;
    let mut row_lines = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| PyValueError::new_err(e.to_string()))?;
        let cols: Vec<Vec<String>> = batch
            .columns()
            .iter()
            .map(|a| cells(a, sep))
            .collect::<PyResult<_>>()?;
        for r in 0..batch.num_rows() {
            row_lines.push(line);
            for (i, col) in cols.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                line += push_field(&mut text, &col[r]);
            }
            text.push('\n');
            line += 1;
        }
    }
    Ok(TableText {
        name: name.to_owned(),
        text,
        columns,
        row_lines,
    })
}

/// A message as a Python dict: where (table or file, row, column), the
/// value, and what the command line would print.
fn diagnostic<'py>(
    py: Python<'py>,
    d: &Diagnostic,
    tables: &[TableText],
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    let severity = match d.severity {
        rumorgraph::diag::Severity::Error => "error",
        rumorgraph::diag::Severity::Warning => "warning",
    };
    out.set_item("severity", severity)?;
    out.set_item("code", d.code.as_str())?;
    out.set_item("message", &d.message)?;
    out.set_item("help", d.help.as_deref())?;
    let value = d.snippet.as_ref().map(|s| {
        s.text
            .chars()
            .skip(s.start as usize)
            .take(s.width as usize)
            .collect::<String>()
    });
    let table = tables.iter().find(|t| *t.name == *d.at.file);
    match (table, d.at.line) {
        (Some(t), Some(line)) if line >= 2 => {
            // The data row whose text holds the line, and the column whose
            // field holds the character.
            let row = t.row_lines.partition_point(|&l| l <= line).checked_sub(1);
            let column = row.and_then(|r| {
                let col = d.at.column? as usize;
                if t.row_lines[r] != line {
                    return None;
                }
                let start = t.text.split('\n').nth(line as usize - 1)?;
                let mut index = 0;
                let mut quoted = false;
                for c in start.chars().take(col.saturating_sub(1)) {
                    if c == '"' {
                        quoted = !quoted;
                    } else if c == ',' && !quoted {
                        index += 1;
                    }
                }
                t.columns.get(index).cloned()
            });
            out.set_item("table", &t.name)?;
            out.set_item("row", row)?;
            out.set_item("column", column)?;
        }
        (Some(t), _) => {
            out.set_item("table", &t.name)?;
            out.set_item("row", py.None())?;
            out.set_item("column", py.None())?;
        }
        (None, line) => {
            out.set_item("table", &*d.at.file)?;
            out.set_item("row", line)?;
            out.set_item("column", d.at.column)?;
        }
    }
    out.set_item("value", value)?;
    out.set_item("text", d.to_string())?;
    Ok(out)
}

/// The error Python sees: the summary line and every message as a dict.
fn load_error(py: Python<'_>, e: Error, tables: &[TableText]) -> PyErr {
    let summary = e.to_string();
    match e {
        Error::Invalid { diagnostics } => {
            let list: PyResult<Vec<Py<PyDict>>> = diagnostics
                .iter()
                .map(|d| diagnostic(py, d, tables).map(Bound::unbind))
                .collect();
            match list {
                Ok(list) => LoadError::new_err((summary, list)),
                Err(e) => e,
            }
        }
        other => PyValueError::new_err(other.to_string()),
    }
}

fn options(
    strict: bool,
    columns: Option<Vec<(String, String)>>,
    cites_sep: Option<char>,
) -> LoadOptions {
    LoadOptions {
        strict,
        table: TableOptions {
            columns: columns.unwrap_or_default(),
            cites_sep,
        },
        ..LoadOptions::default()
    }
}

/// A loaded case and its figures.
#[pyclass(module = "rumorgraph._rumorgraph", frozen)]
struct Analysis {
    loaded: Loaded,
    analyses: Vec<ClaimAnalysis>,
    /// The warnings as dicts, made while the tables' row maps were at hand.
    warnings: Vec<Py<PyDict>>,
}

/// The warnings of a load as dicts, placed in `tables` when they came from
/// them.
fn warning_dicts(
    py: Python<'_>,
    loaded: &Loaded,
    tables: &[TableText],
) -> PyResult<Vec<Py<PyDict>>> {
    loaded
        .warnings
        .iter()
        .map(|d| diagnostic(py, d, tables).map(Bound::unbind))
        .collect()
}

fn threads_pool(threads: Option<usize>) -> PyResult<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        b = b.num_threads(n.max(1));
    }
    b.build().map_err(|e| PyValueError::new_err(e.to_string()))
}

fn analyse(
    py: Python<'_>,
    mut loaded: Loaded,
    warnings: Vec<Py<PyDict>>,
    threads: Option<usize>,
    as_of: Option<&str>,
) -> PyResult<Analysis> {
    if let Some(day) = as_of {
        let d = rumorgraph::model::PartialDate::parse(day.trim()).ok_or_else(|| {
            PyValueError::new_err(format!(
                "as_of={day:?} is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY)"
            ))
        })?;
        loaded.case.keep_as_of(d.last_day());
    }
    let pool = threads_pool(threads)?;
    let analyses = py.detach(|| {
        pool.install(|| {
            let claims: Vec<u32> = (0..loaded.case.claims.len() as u32).collect();
            analysis::analyze(&loaded.case, &claims)
        })
    });
    Ok(Analysis {
        loaded,
        analyses,
        warnings,
    })
}

/// Analyses tables: reports, and optionally sources and claims.
#[pyfunction]
#[pyo3(signature = (reports, sources=None, claims=None, title=None, columns=None, cites_sep=None, strict=false, threads=None, as_of=None))]
#[allow(clippy::too_many_arguments)]
fn analyze_tables(
    py: Python<'_>,
    reports: AnyRecordBatch,
    sources: Option<AnyRecordBatch>,
    claims: Option<AnyRecordBatch>,
    title: Option<String>,
    columns: Option<Vec<(String, String)>>,
    cites_sep: Option<char>,
    strict: bool,
    threads: Option<usize>,
    as_of: Option<&str>,
) -> PyResult<Analysis> {
    let sep = cites_sep.unwrap_or(';');
    let mut tables = Vec::new();
    if let Some(s) = sources {
        tables.push(table_text("sources", s, sep)?);
    }
    if let Some(c) = claims {
        tables.push(table_text("claims", c, sep)?);
    }
    tables.push(table_text("reports", reports, sep)?);
    let opts = options(strict, columns, cites_sep);
    let inputs: Vec<(String, String)> = tables
        .iter()
        .map(|t| (t.name.clone(), t.text.clone()))
        .collect();
    let loaded = py.detach(|| load::load_tables(inputs, &opts));
    let mut loaded = loaded.map_err(|e| load_error(py, e, &tables))?;
    if title.is_some() {
        loaded.case.title = title;
    }
    let warnings = warning_dicts(py, &loaded, &tables)?;
    analyse(py, loaded, warnings, threads, as_of)
}

/// Reads case files (TOML, JSON, CSV, workbooks) as the command line does,
/// and analyses them when `analyse` is true.
#[pyfunction]
#[pyo3(signature = (paths, columns=None, cites_sep=None, strict=false, analyse_too=false, threads=None, as_of=None))]
#[allow(clippy::too_many_arguments)]
fn read_files(
    py: Python<'_>,
    paths: Vec<String>,
    columns: Option<Vec<(String, String)>>,
    cites_sep: Option<char>,
    strict: bool,
    analyse_too: bool,
    threads: Option<usize>,
    as_of: Option<&str>,
) -> PyResult<Analysis> {
    let inputs: Vec<Input> = paths.iter().map(|p| Input::from_arg(p)).collect();
    let opts = options(strict, columns, cites_sep);
    let loaded = py.detach(|| load::load(&inputs, &opts));
    let loaded = loaded.map_err(|e| load_error(py, e, &[]))?;
    let warnings = warning_dicts(py, &loaded, &[])?;
    if analyse_too {
        return analyse(py, loaded, warnings, threads, as_of);
    }
    Ok(Analysis {
        loaded,
        analyses: Vec::new(),
        warnings,
    })
}

fn pyarrow_table<'py>(
    py: Python<'py>,
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
) -> PyResult<Bound<'py, PyAny>> {
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

fn strings(v: Vec<Option<String>>) -> ArrayRef {
    Arc::new(StringArray::from(v))
}

fn text_field(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

#[pymethods]
impl Analysis {
    /// The case's title, or None.
    #[getter]
    fn title(&self) -> Option<String> {
        self.loaded.case.title.clone()
    }

    /// Every warning, as dicts.
    fn warnings<'py>(&self, py: Python<'py>) -> Vec<Bound<'py, PyDict>> {
        self.warnings.iter().map(|w| w.bind(py).clone()).collect()
    }

    /// The reports, one row each, in the columns of a reports table.
    fn reports_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let case = &self.loaded.case;
        let r = &case.reports;
        let col = |f: &dyn Fn(&rumorgraph::model::Report) -> Option<String>| {
            strings(r.iter().map(f).collect())
        };
        let src = |i: u32| case.source_id(i).to_owned();
        pyarrow_table(
            py,
            load::REPORT_COLUMNS.map(text_field).to_vec(),
            vec![
                col(&|x| Some(src(x.source))),
                col(&|x| Some(case.claim(x.claim).id.clone())),
                col(&|x| {
                    Some(
                        x.cites
                            .iter()
                            .map(|&c| src(c))
                            .collect::<Vec<_>>()
                            .join(";"),
                    )
                }),
                col(&|x| Some(x.stance.as_str().to_owned())),
                col(&|x| x.date.map(|d| d.to_string())),
                col(&|x| x.url().map(str::to_owned)),
                col(&|x| x.quote().map(str::to_owned)),
                col(&|x| x.notes().map(str::to_owned)),
                // Only `undisclosed` is written: first-hand is the default, and
                // written beside `cites` it would be a warning.
                col(&|x| {
                    (x.basis == rumorgraph::model::Basis::Undisclosed)
                        .then(|| x.basis.as_str().to_owned())
                }),
            ],
        )
    }

    /// The declared sources, in the columns of a sources table.
    fn sources_declared<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let case = &self.loaded.case;
        let s: Vec<u32> = (0..case.sources.len() as u32)
            .filter(|&i| case.source(i).declared)
            .collect();
        let col = |f: &dyn Fn(u32, &rumorgraph::model::Source) -> Option<String>| {
            strings(s.iter().map(|&i| f(i, case.source(i))).collect())
        };
        pyarrow_table(
            py,
            load::SOURCE_COLUMNS.map(text_field).to_vec(),
            vec![
                col(&|i, _| Some(case.source_id(i).to_owned())),
                col(&|i, _| Some(case.source_name(i).to_owned())),
                col(&|_, x| Some(x.kind.as_str().to_owned())),
                col(&|_, x| x.country().map(str::to_owned)),
                col(&|_, x| x.reliability.map(|c| c.to_string())),
                col(&|_, x| x.url().map(str::to_owned)),
                col(&|_, x| x.notes().map(str::to_owned)),
            ],
        )
    }

    /// The declared claims, in the columns of a claims table.
    fn claims_declared<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c: Vec<_> = self
            .loaded
            .case
            .claims
            .iter()
            .filter(|c| c.declared)
            .collect();
        pyarrow_table(
            py,
            load::CLAIM_COLUMNS.map(text_field).to_vec(),
            vec![
                strings(c.iter().map(|x| Some(x.id.clone())).collect()),
                strings(c.iter().map(|x| Some(x.text.clone())).collect()),
            ],
        )
    }

    /// One row per claim: its figures and credibility hint.
    fn claims_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let case = &self.loaded.case;
        let a = &self.analyses;
        let num = |f: &dyn Fn(&ClaimAnalysis) -> u32| -> ArrayRef {
            Arc::new(UInt32Array::from(a.iter().map(f).collect::<Vec<_>>()))
        };
        let mut fields = vec![text_field("claim"), text_field("text")];
        let mut cols: Vec<ArrayRef> = vec![
            strings(
                a.iter()
                    .map(|x| Some(case.claim(x.claim).id.clone()))
                    .collect(),
            ),
            strings(
                a.iter()
                    .map(|x| Some(case.claim(x.claim).text.clone()))
                    .collect(),
            ),
        ];
        type Figure = fn(&ClaimAnalysis) -> u32;
        let figures: [(&str, Figure); 8] = [
            ("reports", |x| x.reports),
            ("independent", |x| x.independent),
            ("named", |x| x.named),
            ("anonymous", |x| x.anonymous),
            ("undisclosed", |x| x.undisclosed),
            ("unknown", |x| x.unknown),
            ("retracted", |x| x.retracted),
            ("denied_by", |x| x.denials.independent),
        ];
        for (name, f) in figures {
            fields.push(Field::new(name, DataType::UInt32, false));
            cols.push(num(&f));
        }
        fields.push(Field::new("single_source", DataType::Boolean, false));
        cols.push(Arc::new(BooleanArray::from(
            a.iter().map(|x| x.single_source).collect::<Vec<_>>(),
        )));
        fields.push(text_field("first_reported"));
        cols.push(strings(
            a.iter()
                .map(|x| x.first_reported.map(|d| d.to_string()))
                .collect(),
        ));
        fields.push(text_field("first_supported"));
        cols.push(strings(
            a.iter()
                .map(|x| x.first_supported.map(|d| d.to_string()))
                .collect(),
        ));
        fields.push(text_field("credibility"));
        cols.push(strings(
            a.iter()
                .map(|x| Some(export::credibility(case, x).0.as_str().to_owned()))
                .collect(),
        ));
        pyarrow_table(py, fields, cols)
    }

    /// One row per source of each claim's support graph: roots and chains.
    fn sources_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let case = &self.loaded.case;
        let (mut claim, mut source, mut name, mut kind) = (vec![], vec![], vec![], vec![]);
        let (mut roots, mut chains, mut origin) = (vec![], vec![], vec![]);
        for a in &self.analyses {
            for f in &a.sources {
                let s = case.source(f.source);
                claim.push(Some(case.claim(a.claim).id.clone()));
                source.push(Some(case.source_id(f.source).to_owned()));
                name.push(Some(case.source_name(f.source).to_owned()));
                kind.push(Some(s.kind.as_str().to_owned()));
                roots.push(f.roots);
                chains.push(f.chains);
                origin.push(f.in_root.is_some());
            }
        }
        pyarrow_table(
            py,
            vec![
                text_field("claim"),
                text_field("source"),
                text_field("name"),
                text_field("kind"),
                Field::new("roots", DataType::UInt32, false),
                Field::new("chains", DataType::UInt32, false),
                Field::new("origin", DataType::Boolean, false),
            ],
            vec![
                strings(claim),
                strings(source),
                strings(name),
                strings(kind),
                Arc::new(UInt32Array::from(roots)),
                Arc::new(UInt32Array::from(chains)),
                Arc::new(BooleanArray::from(origin)),
            ],
        )
    }

    /// One row per root group of each claim (and of its denials).
    fn roots_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let case = &self.loaded.case;
        let mut claim = vec![];
        let mut group = vec![];
        let (mut denial, mut circular, mut retracted) = (vec![], vec![], vec![]);
        let mut basis = vec![];
        let (mut reach, mut size, mut depth, mut breadth) = (vec![], vec![], vec![], vec![]);
        let mut virality = vec![];
        for a in &self.analyses {
            let groups = a.roots.iter().map(|g| (false, g));
            let denials = a.denials.roots.iter().map(|g| (true, g));
            for (d, g) in groups.chain(denials) {
                claim.push(Some(case.claim(a.claim).id.clone()));
                group.push(Some(export::group_label(case, g)));
                denial.push(d);
                circular.push(g.circular);
                retracted.push(g.retracted);
                basis.push(Some(g.basis.as_str().to_owned()));
                reach.push(g.reach);
                size.push(g.cascade.map(|c| c.size));
                depth.push(g.cascade.map(|c| c.depth));
                breadth.push(g.cascade.map(|c| c.max_breadth));
                virality.push(g.cascade.map(|c| c.structural_virality()));
            }
        }
        pyarrow_table(
            py,
            vec![
                text_field("claim"),
                text_field("group"),
                Field::new("denial", DataType::Boolean, false),
                Field::new("circular", DataType::Boolean, false),
                Field::new("retracted", DataType::Boolean, false),
                text_field("basis"),
                Field::new("reach", DataType::UInt32, false),
                Field::new("size", DataType::UInt32, true),
                Field::new("depth", DataType::UInt32, true),
                Field::new("max_breadth", DataType::UInt32, true),
                Field::new("structural_virality", DataType::Float64, true),
            ],
            vec![
                strings(claim),
                strings(group),
                Arc::new(BooleanArray::from(denial)),
                Arc::new(BooleanArray::from(circular)),
                Arc::new(BooleanArray::from(retracted)),
                strings(basis),
                Arc::new(UInt32Array::from(reach)),
                Arc::new(UInt32Array::from(size)),
                Arc::new(UInt32Array::from(depth)),
                Arc::new(UInt32Array::from(breadth)),
                Arc::new(Float64Array::from(virality)),
            ],
        )
    }

    /// `analyze --format json`, byte for byte.
    fn json(&self) -> String {
        export::json(&self.loaded.case, &self.analyses, &self.loaded.warnings)
    }

    /// `analyze` as text.
    fn text(&self) -> String {
        export::text(&self.loaded.case, &self.analyses, Counting::default())
    }

    /// The lines of `check`.
    #[pyo3(signature = (min_independent=2, count=Vec::new()))]
    fn check_lines(&self, min_independent: u32, count: Vec<String>) -> PyResult<Vec<String>> {
        let mut counting = Counting::default();
        for k in &count {
            match k.as_str() {
                "anonymous" => counting.anonymous = true,
                "undisclosed" => counting.undisclosed = true,
                "unknown" => counting.unknown = true,
                "named" => {}
                other => {
                    return Err(PyValueError::new_err(format!(
                        "count={other:?}: the kinds are anonymous, undisclosed, unknown"
                    )))
                }
            }
        }
        let (out, _) = export::check(&self.loaded.case, &self.analyses, min_independent, counting);
        Ok(out.lines().map(str::to_owned).collect())
    }

    /// The lines of `trace`.
    #[pyo3(signature = (claim, source, max_paths=1000))]
    fn trace_lines(&self, claim: &str, source: &str, max_paths: usize) -> PyResult<Vec<String>> {
        let case = &self.loaded.case;
        let c = case
            .claim_index(claim)
            .ok_or_else(|| PyValueError::new_err(format!("the case has no claim `{claim}`")))?;
        let s = case
            .source_index(source)
            .ok_or_else(|| PyValueError::new_err(format!("the case has no source `{source}`")))?;
        let a =
            self.analyses.iter().find(|a| a.claim == c).ok_or_else(|| {
                PyValueError::new_err(format!("claim `{claim}` was not analysed"))
            })?;
        let reports = &case.reports_by_claim()[c as usize];
        let t = analysis::trace(case, a, reports, s, max_paths);
        let mut text = String::new();
        let _ = write!(text, "{}", export::trace::trace(case, a, &t, max_paths));
        Ok(text.lines().map(str::to_owned).collect())
    }
}

#[pymodule]
fn _rumorgraph(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("LoadError", m.py().get_type::<LoadError>())?;
    m.add_class::<Analysis>()?;
    m.add_function(wrap_pyfunction!(analyze_tables, m)?)?;
    m.add_function(wrap_pyfunction!(read_files, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
