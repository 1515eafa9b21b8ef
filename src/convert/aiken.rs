//! (aiken: being written)
