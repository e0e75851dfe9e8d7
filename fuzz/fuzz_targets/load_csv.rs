//! The csv loader on any bytes: a case or a list of messages, never a
//! panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rumorgraph::load::{load_str, Format, LoadOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = load_str("case.csv", text, Format::Csv, &LoadOptions::default());
    }
});
