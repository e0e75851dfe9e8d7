//! `rumorgraph html`: the page is self-contained and small, and in a real
//! browser (headless Chromium) a click on each source lights up exactly the
//! chains `rumorgraph trace` lists, the page loads nothing, and it is not
//! blank.
//!
//! The browser is `chromium` (or `chromium-browser`, `google-chrome`, or
//! `$RUMORGRAPH_BROWSER`). Without one the browser tests print NOT CHECKED,
//! and fail under CI, which installs it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{repo_path, run_ok, temp_dir};

/// The page of one claim of the shipped case, written to `dir`.
fn write_page(dir: &Path, claim: &str) -> PathBuf {
    let out = dir.join(format!("{claim}.html"));
    let r = crate::util::run([
        "html",
        "data/baghdadi-libya.toml",
        "--claim",
        claim,
        "-q",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    out
}

fn browser() -> Option<String> {
    if let Some(b) = std::env::var_os("RUMORGRAPH_BROWSER") {
        return Some(b.to_string_lossy().into_owned());
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .map(str::to_owned)
}

/// Skips (NOT CHECKED) without Graphviz or a browser, outside CI.
fn tools() -> Option<String> {
    let in_ci = std::env::var_os("CI").is_some();
    if !crate::util::graphviz_or_skip("the page was not drawn") {
        return None;
    }
    match browser() {
        Some(b) => Some(b),
        None => {
            assert!(
                !in_ci,
                "CI must install Chromium (apt-get install chromium)"
            );
            eprintln!("NOT CHECKED: no Chromium found, so the page was not opened in a browser");
            None
        }
    }
}

/// Runs headless Chromium on `url` with `args`, offline (every host name
/// fails to resolve), with a profile of its own; its standard output.
fn chromium(browser: &str, args: &[&str], url: &str) -> String {
    let profile = temp_dir();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the browser");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        use std::io::Read;
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the browser did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// Text of an HTML element's content with the five entities decoded.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn the_page_is_self_contained_and_small() {
    if !crate::util::graphviz_or_skip("the page was not drawn") {
        return;
    }
    let dir = temp_dir();
    let out = dir.path().join("case.html");
    let r = crate::util::run([
        "html",
        "data/baghdadi-libya.toml",
        "-q",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.len() < 1_000_000, "the page is {} bytes", page.len());
    assert!(page.contains("content=\"default-src 'none'; script-src 'sha256-"));
    // Nothing that would make a request: no external script, style, image,
    // frame or font, and no script that is not the page's own.
    for bad in [
        "<script src",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(",
        "<object",
        "<embed",
    ] {
        assert!(!page.contains(bad), "the page has {bad}");
    }
    assert_eq!(
        page.matches("<script").count(),
        2,
        "the data block and the page's script"
    );
    // One section and one diagram per claim.
    let claims = repo_path("data/baghdadi-libya.toml");
    let n = rumorgraph::load::load(
        &[rumorgraph::load::Input::Path(claims)],
        &Default::default(),
    )
    .unwrap()
    .case
    .claims
    .len();
    assert_eq!(page.matches("<section class=\"claim\"").count(), n);
    assert_eq!(page.matches("<svg").count(), n);
    // The same input gives the same page, byte for byte.
    let again = run_ok(["html", "data/baghdadi-libya.toml", "-q"]);
    assert_eq!(again, page);
}

#[test]
fn hostile_text_reaches_the_page_as_text() {
    if !crate::util::graphviz_or_skip("the page was not drawn") {
        return;
    }
    let page = run_ok(["html", "tests/fixtures/hostile.toml", "-q"]);
    // The fixture's markup-like names never become markup.
    assert!(!page.contains("<b>html</b>"), "raw markup from the case");
    assert!(!page.contains("<i>more</i>"));
    // Inside the data block, no "<" at all: it cannot end the block.
    let start = page.find("id=\"rumorgraph-data\">").unwrap();
    let end = start + page[start..].find("</script>").unwrap();
    assert!(!page[start + 21..end].contains('<'));
}

#[test]
fn without_graphviz_the_page_names_the_package() {
    let out = crate::util::bin()
        .env("PATH", "")
        .args(["html", "data/baghdadi-libya.toml", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("install the `graphviz` package"), "{err}");
    assert!(!err.contains("--render"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_click_lights_up_exactly_the_chains_of_trace() {
    let Some(browser) = tools() else { return };
    let dir = temp_dir();
    let page = write_page(dir.path(), "in-libya");
    let url = format!("file://{}#test-click=0", page.display());
    let dom = chromium(&browser, &["--dump-dom"], &url);
    let start = dom
        .find("<pre id=\"test-result\"")
        .expect("the page's test result");
    let body = &dom[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</pre>").unwrap()];
    let result: serde_json::Value =
        serde_json::from_str(&unescape(body)).unwrap_or_else(|e| panic!("{e}: {body}"));

    assert_eq!(
        result["resources"],
        serde_json::json!([]),
        "the page loaded something"
    );
    assert_eq!(
        result["violations"],
        serde_json::json!([]),
        "the page broke its own policy"
    );

    // Every source of in-libya was clicked.
    let json: serde_json::Value = serde_json::from_str(&run_ok([
        "analyze",
        "data/baghdadi-libya.toml",
        "--claim",
        "in-libya",
        "--format",
        "json",
        "-q",
    ]))
    .unwrap();
    let clicked: BTreeMap<String, serde_json::Value> = result["sources"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut expected_sources: BTreeSet<String> = BTreeSet::new();
    for s in json["claims"][0]["sources"].as_array().unwrap() {
        expected_sources.insert(s["id"].as_str().unwrap().to_owned());
    }
    for g in json["claims"][0]["denials"]["roots"].as_array().unwrap() {
        for m in g["sources"].as_array().unwrap() {
            expected_sources.insert(m.as_str().unwrap().to_owned());
        }
    }
    for s in &expected_sources {
        assert!(clicked.contains_key(s), "{s} was not clicked");
    }
    for (source, seen) in &clicked {
        let run = crate::util::run([
            "trace",
            "data/baghdadi-libya.toml",
            "--claim",
            "in-libya",
            "--source",
            source,
            "--max-paths",
            "100",
            "-q",
        ]);
        // A source whose reports only deny or query is in no chain: trace
        // says so, and the page lists none.
        let trace = match run.code {
            0 => run.stdout,
            2 if run.stderr.contains("is not in the support graph") => String::new(),
            _ => panic!("trace {source}: {}", run.stderr),
        };
        let lines: Vec<&str> = trace.lines().filter(|l| !l.starts_with("...")).collect();
        let panel: Vec<&str> = seen["chains"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(panel, lines, "the panel's chains of {source}");
        let mut want: BTreeSet<String> = BTreeSet::from([source.clone()]);
        for l in &lines {
            for step in l.split(" -> ") {
                want.extend(step.split('+').map(str::to_owned));
            }
        }
        let lit: BTreeSet<String> = seen["highlighted"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(lit, want, "the nodes lit for {source}");
    }
}

#[test]
fn a_screenshot_of_the_page_is_not_blank() {
    let Some(browser) = tools() else { return };
    let dir = temp_dir();
    let page = write_page(dir.path(), "in-libya");
    let shot = dir.path().join("page.png");
    let url = format!("file://{}#select=0/missing-peace", page.display());
    chromium(
        &browser,
        &[
            "--window-size=1400,1000",
            &format!("--screenshot={}", shot.display()),
        ],
        &url,
    );
    let bytes = std::fs::read(&shot).expect("a screenshot");
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let mut colours = BTreeSet::new();
    let mut inked = 0usize;
    for p in pixels.chunks(px) {
        colours.insert(p[..3.min(px)].to_vec());
        if p[..3.min(px)].iter().any(|&c| c < 200) {
            inked += 1;
        }
    }
    let total = pixels.len() / px;
    assert!(colours.len() > 50, "{} colours", colours.len());
    assert!(inked * 50 > total, "{inked} of {total} pixels inked");
    // The docs show the screenshot the test made.
    if std::env::var_os("RUMORGRAPH_UPDATE_SCREENSHOT").is_some() {
        std::fs::copy(&shot, repo_path("docs/img/page.png")).unwrap();
    }
}
