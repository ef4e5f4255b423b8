//! The cost of each receiving step: `cargo bench -p tencent-live-webhook`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tencent_live_webhook::{
    Command, Receiver, Sign, Token, Verifier, WebhookQuery, samples, signed_query,
};

const APP: u64 = 1_400_000_000;
const NOW: u64 = 1_700_000_000;

fn query_and_signature(c: &mut Criterion) {
    let token = Token::new("a-token-of-realistic-length-0123456789").unwrap();
    let query = signed_query(APP, &Command::AfterCreateRoom, &token, NOW);
    let rotation = Verifier::new().app(APP, [Token::new("previous-token").unwrap(), token.clone()]);
    let single = Verifier::new().app(APP, [token.clone()]);

    c.bench_function("parse query", |b| {
        b.iter(|| WebhookQuery::parse(black_box(&query)));
    });
    c.bench_function("compute sign", |b| {
        b.iter(|| Sign::compute(black_box(&token), black_box(NOW)));
    });
    c.bench_function("verify (1 token)", |b| {
        b.iter(|| single.verify(black_box(&query), NOW));
    });
    c.bench_function("verify (2 tokens)", |b| {
        b.iter(|| rotation.verify(black_box(&query), NOW));
    });
}

fn decode_samples(c: &mut Criterion) {
    let verifier = Verifier::new().insecure_app_without_token(APP);
    let mut group = c.benchmark_group("decode");
    for (word, body) in samples::ALL {
        let command: Command = word.parse().unwrap();
        let query = tencent_live_webhook::QueryBuilder::new(APP, command).unsigned();
        let verified = verifier.verify(&query, NOW).unwrap();
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(*word, |b| b.iter(|| verified.decode(black_box(body))));
    }
    group.finish();
}

fn receive_whole_request(c: &mut Criterion) {
    let token = Token::new("a-token-of-realistic-length-0123456789").unwrap();
    let receiver = Receiver::new(Verifier::new().app(APP, [token.clone()]));
    let body = samples::body_for(Command::AfterDestroyRoom).unwrap();
    let query = signed_query(APP, &Command::AfterDestroyRoom, &token, NOW);
    let length = body.len().to_string();
    c.bench_function("receive (verify + collect + decode, DestroyRoom)", |b| {
        b.iter(|| {
            let mut incoming = receiver
                .start(black_box(&query), Some(length.as_bytes()), NOW)
                .unwrap();
            incoming.push(black_box(body)).unwrap();
            incoming.finish()
        });
    });
}

criterion_group!(
    benches,
    query_and_signature,
    decode_samples,
    receive_whole_request
);
criterion_main!(benches);
