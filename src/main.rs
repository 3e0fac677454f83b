//! The `trawl` binary: parse arguments, run, map errors to exit codes
//! (0 ok, 1 "risk found" where a command promises it, 2 error).

use std::process::ExitCode;

/// mimalloc: resolve and score make millions of small allocations (names, keys, evidence
/// lists) from several threads, where it is faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match trawl::cli::run() {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // A closed pipe (`trawl quarantine | head`) is success, not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("trawl: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
