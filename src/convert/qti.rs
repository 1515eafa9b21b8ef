//! (qti: being written)
