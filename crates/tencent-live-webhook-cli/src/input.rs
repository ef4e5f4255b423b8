//! Reading what a command is given: a file, or `-` for standard input.

use std::io::Read;
use std::path::Path;

/// The bytes of the file at `path`, or of standard input for `-`.
pub(crate) fn read_body(path: &Path) -> std::io::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut body = Vec::new();
        std::io::stdin().read_to_end(&mut body)?;
        Ok(body)
    } else {
        std::fs::read(path)
    }
}
