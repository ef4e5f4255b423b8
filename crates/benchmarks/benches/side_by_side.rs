//! Criterion timings of the same operations `cargo xtask bench` counts instructions of.

use criterion::{Criterion, criterion_group, criterion_main};

fn side_by_side(c: &mut Criterion) {
    tencent_live_webhook_benchmarks::ours::warm_up();
    for op in tencent_live_webhook_benchmarks::all() {
        c.bench_function(op.name, |b| b.iter(op.run));
    }
}

criterion_group!(benches, side_by_side);
criterion_main!(benches);
