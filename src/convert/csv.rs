//! (csv: being written)
