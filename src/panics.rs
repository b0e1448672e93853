//! Catching panics from the libraries we read untrusted bytes with (the PDF
//! parsers, the index on damaged files) without their messages on the
//! terminal: the caller turns a caught panic into a one-line error or
//! warning, and the panic's own text would only be noise.
//!
//! The first call installs a panic hook that stays silent while the current
//! thread is inside [`catch`] and otherwise hands over to the hook that was
//! there before, so panics elsewhere (bugs) are still reported, and other
//! threads are never silenced.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    /// How many [`catch`] calls the current thread is inside.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

static QUIET_HOOK: Once = Once::new();

/// Runs `f`; a panic inside it becomes `Err` with the panic's message, and
/// nothing is printed for it.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
    CATCHING.with(|c| c.set(c.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_the_thread_goes_on() {
        let caught = catch(|| -> u32 { panic!("odd bytes at {}", 7) });
        assert_eq!(caught, Err("odd bytes at 7".to_string()));
        assert_eq!(catch(|| 5), Ok(5));
        assert_eq!(CATCHING.with(Cell::get), 0);
    }
}
