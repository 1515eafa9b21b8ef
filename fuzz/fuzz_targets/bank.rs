#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| skillcat_fuzz::bank(data));
