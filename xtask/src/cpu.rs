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
        // User time is the 14th field of the line, system time the 15th.
        *used.entry(name.trim().to_owned()).or_insert(0.0) += ticks_in(&stat, [14, 15]) / ticks;
    }
    Ok(used)
}

/// CPU time used so far by the children this process has waited for, in seconds.
pub(crate) fn children() -> Result<f64, String> {
    let stat = std::fs::read_to_string("/proc/self/stat").map_err(|error| error.to_string())?;
    // The children's user time is the 16th field of the line, their system time the 17th.
    Ok(ticks_in(&stat, [16, 17]) / ticks_per_second()?)
}

/// The sum of the numbered fields (counted from 1, as `man proc` does) of a `stat` line.
fn ticks_in(stat: &str, numbers: [usize; 2]) -> f64 {
    // The name, in parentheses, may hold spaces: count from the field after it, the 3rd.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    numbers
        .iter()
        .filter_map(|n| fields.get(n - 3)?.parse::<f64>().ok())
        .sum()
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
