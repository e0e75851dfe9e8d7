//! The workbook reader (.xlsx, .xls, .ods through calamine) on any bytes: a
//! case or a list of messages, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rumorgraph::load::{load_workbook, LoadOptions};

fuzz_target!(|data: &[u8]| {
    let _ = load_workbook("case.xlsx", data.to_vec(), &LoadOptions::default());
});
