//! (gift: being written)
