//! The JavaScript boundary (being written).
