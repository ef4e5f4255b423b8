//! `cargo xtask readmes`: each adapter README's complete receiver, built as a user would
//! build it: a new package outside this workspace whose `Cargo.toml` holds exactly the
//! README's `[dependencies]` block and whose `src/main.rs` is exactly its `rust,no_run`
//! block. The crates are not published yet, so `[patch.crates-io]` points the README's
//! version requirements at this checkout.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const ADAPTERS: [&str; 3] = ["actix", "axum", "warp"];

/// Every crate a README example may pull in from this checkout.
const OURS: [&str; 6] = [
    "tencent-live-webhook",
    "tencent-live-webhook-adapter",
    "tencent-live-webhook-actix",
    "tencent-live-webhook-axum",
    "tencent-live-webhook-warp",
    "tencent-live-webhook-spool",
];

pub(crate) fn run() -> ExitCode {
    let root = match std::env::current_dir() {
        Ok(root) => root,
        Err(error) => {
            eprintln!("readmes: {error}");
            return ExitCode::FAILURE;
        }
    };
    let packages = PathBuf::from(crate::target_path("readme-examples"));
    let mut ok = true;
    for adapter in ADAPTERS {
        match build(&root, &packages, adapter) {
            Ok(()) => eprintln!("readmes: the {adapter} README's receiver builds on its own"),
            Err(error) => {
                eprintln!("readmes: {adapter}: {error}");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The text of the first fenced block that opens with ```` ```info ````.
fn block<'a>(readme: &'a str, info: &str) -> Option<&'a str> {
    let fence = format!("```{info}\n");
    let start = readme.find(&fence)? + fence.len();
    let length = readme[start..].find("\n```")?;
    Some(&readme[start..=start + length])
}

fn build(root: &Path, packages: &Path, adapter: &str) -> Result<(), String> {
    let crate_dir = root.join(format!("crates/tencent-live-webhook-{adapter}"));
    let readme = std::fs::read_to_string(crate_dir.join("README.md"))
        .map_err(|error| format!("README: {error}"))?;
    let dependencies = block(&readme, "toml").ok_or("no toml block")?;
    if !dependencies.starts_with("[dependencies]\n") {
        return Err("the toml block is not a [dependencies] table".into());
    }
    let program = block(&readme, "rust,no_run").ok_or("no rust,no_run block")?;
    let package = packages.join(adapter);
    std::fs::create_dir_all(package.join("src")).map_err(|error| error.to_string())?;
    let mut manifest = format!(
        "[package]\nname = \"readme-{adapter}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n# Not part of any workspace above it.\n[workspace]\n\n{dependencies}\n\
         [patch.crates-io]\n"
    );
    for name in OURS {
        let path = root.join("crates").join(name);
        // Writing into a String cannot fail.
        let _ = writeln!(
            manifest,
            "{name} = {{ path = {:?} }}",
            path.display().to_string()
        );
    }
    std::fs::write(package.join("Cargo.toml"), manifest).map_err(|error| error.to_string())?;
    std::fs::write(package.join("src/main.rs"), program).map_err(|error| error.to_string())?;
    // The workspace's versions, so that the build reuses what is already compiled.
    std::fs::copy(root.join("Cargo.lock"), package.join("Cargo.lock"))
        .map_err(|error| format!("Cargo.lock: {error}"))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(cargo)
        .arg("build")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(package.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", packages.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .map_err(|error| error.to_string())?;
    if built.success() {
        Ok(())
    } else {
        Err(format!("cargo build failed in {}", package.display()))
    }
}
