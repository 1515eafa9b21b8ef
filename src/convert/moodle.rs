//! (moodle: being written)
