//! Temporal's C bridge, re-exported, plus a panic hook that tells the Zig bridge about any
//! panic inside core.
//!
//! Why: core runs every asynchronous call as a tokio task. When code inside such a task (or
//! an internal core task the call waits on, e.g. a poller) panics, tokio catches the panic
//! and the task dies, so the C callback that would end our pending call never runs: the
//! caller waits forever. The hook runs on the panicking thread before the unwinding starts,
//! and hands the panic message to `temporal_bun_core_panicked` (bridge/src/panics.zig), which
//! fails every call still pending so nothing waits on a dead task.
//!
//! A panic that unwinds out of an `extern "C"` function on the calling thread (a synchronous
//! export) cannot be caught: Rust aborts the process there. The hook still runs first, so
//! the message reaches stderr.
use std::sync::Once;

// Links the C bridge in; its `#[no_mangle]` exports become part of this static library.
pub use temporalio_sdk_core_c_bridge;

unsafe extern "C" {
    /// Defined by the Zig bridge (bridge/src/panics.zig). Must be callable from any thread.
    fn temporal_bun_core_panicked(message: *const u8, len: usize);
}

static INSTALL: Once = Once::new();

/// Installs the hook once per process; later calls do nothing. The previous hook (Rust's
/// default, which prints the message and, with RUST_BACKTRACE, a backtrace) still runs first.
#[unsafe(no_mangle)]
pub extern "C" fn temporal_bun_core_install_panic_hook() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            previous(info);
            let payload = info.payload();
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string panic payload)".to_string());
            let thread = std::thread::current();
            let message = match info.location() {
                Some(loc) => format!(
                    "{text} (at {}:{}, thread '{}')",
                    loc.file(),
                    loc.line(),
                    thread.name().unwrap_or("unnamed")
                ),
                None => format!("{text} (thread '{}')", thread.name().unwrap_or("unnamed")),
            };
            // SAFETY: the Zig side copies the bytes before returning and is thread-safe.
            unsafe { temporal_bun_core_panicked(message.as_ptr(), message.len()) };
        }));
    });
}
