//! The global allocator of the WebAssembly build: the standard one (dlmalloc), with its
//! memory grown in large steps instead of small ones.
//!
//! dlmalloc asks the host for more memory only when it runs out, and only for what the request
//! needs (64 KiB pages). Each `memory.grow` costs the host a new `ArrayBuffer` over the whole
//! memory and a garbage collection, so growing to the few hundred megabytes a 100,000-item
//! bank takes while it loads would grow thousands of times and take tens of seconds in V8
//! (measured: 14 s for `Bank.fromJson` of 100,000 items, quadratic in the bank's size). Here,
//! whenever an allocation has grown the memory, dlmalloc is at once given half as much again
//! (a block allocated and freed back to it), so the memory grows geometrically, about 15 times
//! from start to a gigabyte. The reserve is untouched address space until it is used, and if
//! the host refuses it nothing else changes: the allocation that grew the memory has already
//! succeeded.

use std::alloc::{GlobalAlloc, Layout, System};
use std::arch::wasm32::memory_size;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes in a WebAssembly page.
const PAGE: usize = 64 * 1024;

/// The standard allocator, growing memory geometrically.
pub struct GeometricGrowth {
    /// The memory's size in pages after the last reserve.
    pages: AtomicUsize,
}

#[global_allocator]
static ALLOCATOR: GeometricGrowth = GeometricGrowth {
    pages: AtomicUsize::new(0),
};

impl GeometricGrowth {
    /// When the memory has grown since the last look, hands dlmalloc a reserve of half the
    /// memory's size.
    fn reserve_after_growth(&self) {
        let pages = memory_size(0);
        let seen = self.pages.load(Ordering::Relaxed);
        if pages <= seen {
            return;
        }
        // (`System` is called directly, so the reserve does not come back here.)
        if seen > 0 {
            if let Ok(layout) = Layout::from_size_align(pages / 2 * PAGE, 8) {
                // SAFETY: a non-zero layout, freed with the same layout it was allocated with.
                unsafe {
                    let block = System.alloc(layout);
                    if !block.is_null() {
                        System.dealloc(block, layout);
                    }
                }
            }
        }
        self.pages.store(memory_size(0), Ordering::Relaxed);
    }
}

// SAFETY: every call is passed to `System` unchanged; the reserve only allocates and frees.
unsafe impl GlobalAlloc for GeometricGrowth {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let block = unsafe { System.alloc(layout) };
        self.reserve_after_growth();
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let block = unsafe { System.alloc_zeroed(layout) };
        self.reserve_after_growth();
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(block, layout) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let moved = unsafe { System.realloc(block, layout, size) };
        self.reserve_after_growth();
        moved
    }
}
