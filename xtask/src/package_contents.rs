//! `cargo xtask package-contents`: every published crate's package carries the licence
//! text and its README, and its manifest says how docs.rs builds it.

use std::process::{Command, ExitCode};

/// Files each package must hold.
const REQUIRED: [&str; 3] = ["LICENSE", "README.md", "Cargo.toml"];

pub(crate) fn run(crates: &[&str]) -> ExitCode {
    let mut wrong = Vec::new();
    for name in crates {
        let listed = Command::new(env!("CARGO"))
            .args(["package", "--list", "--allow-dirty", "--locked", "-p", name])
            .output();
        let files = match listed {
            Ok(output) if output.status.success() => {
                String::from_utf8_lossy(&output.stdout).into_owned()
            }
            Ok(output) => {
                wrong.push(format!(
                    "{name}: cargo package --list failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                ));
                continue;
            }
            Err(error) => {
                wrong.push(format!("{name}: cannot run cargo: {error}"));
                continue;
            }
        };
        for file in REQUIRED {
            if !files.lines().any(|line| line == file) {
                wrong.push(format!("{name}: the package has no {file}"));
            }
        }
        let manifest = format!("crates/{name}/Cargo.toml");
        match std::fs::read_to_string(&manifest) {
            Ok(text) if text.contains("[package.metadata.docs.rs]") => {}
            Ok(_) => wrong.push(format!(
                "{name}: {manifest} has no [package.metadata.docs.rs]"
            )),
            Err(error) => wrong.push(format!("{name}: cannot read {manifest}: {error}")),
        }
    }
    if wrong.is_empty() {
        eprintln!(
            "every package holds {} and docs.rs settings",
            REQUIRED.join(", ")
        );
        ExitCode::SUCCESS
    } else {
        for line in &wrong {
            eprintln!("{line}");
        }
        ExitCode::FAILURE
    }
}
