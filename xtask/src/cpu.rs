//! CPU time a process has used, per thread name, from `/proc` (Linux): what a request
//! costs on the core a load test pins the server to, whatever the rate the load reached.

use std::collections::BTreeMap;
use std::process::Command;

/// CPU time used so far by each thread name of process `pid`, in seconds.
pub(crate) fn by_thread(pid: u32) -> Result<BTreeMap<String, f64>, String> {
    let ticks = ticks_per_second()?;
    let mut used = BTreeMap::new();
    let tasks =
        std::fs::read_dir(format!("/proc/{pid}/task")).map_err(|error| error.to_string())?;
    for task in tasks.flatten() {
        let path = task.path();
        // A thread may end between the listing and the reading.
        let (Ok(name), Ok(stat)) = (
            std::fs::read_to_string(path.join("comm")),
            std::fs::read_to_string(path.join("stat")),
        ) else {
            continue;
        };
        // The fields after the parenthesised name: state is the 3rd field of the line,
        // user time the 14th and system time the 15th.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let field = |n: usize| -> f64 {
            fields
                .get(n - 3)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0)
        };
        *used.entry(name.trim().to_owned()).or_insert(0.0) += (field(14) + field(15)) / ticks;
    }
    Ok(used)
}

/// Microseconds of CPU per request for each thread name between two readings.
pub(crate) fn per_request(
    before: &BTreeMap<String, f64>,
    after: &BTreeMap<String, f64>,
    requests: f64,
) -> BTreeMap<String, f64> {
    after
        .iter()
        .map(|(name, seconds)| {
            let spent = seconds - before.get(name).copied().unwrap_or(0.0);
            (name.clone(), spent * 1e6 / requests.max(1.0))
        })
        .filter(|(_, micros)| *micros >= 0.05)
        .collect()
}

fn ticks_per_second() -> Result<f64, String> {
    let output = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .map_err(|error| format!("getconf: {error}"))?;
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|_| "getconf CLK_TCK printed no number".to_owned())
}
