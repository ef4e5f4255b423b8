"""Read the webhooks live-webhook serve publishes, from Redis Streams or NATS JetStream,
check each envelope against the schema, and acknowledge it once handled.

    pip install redis nats-py jsonschema
    python3 consume.py redis://127.0.0.1:6379/0 --topic live.webhooks
    python3 consume.py nats://127.0.0.1:4222 --topic live.webhooks --stream LIVE_WEBHOOKS

Prints one JSON line per webhook: its id, command word, app and room. Handling must be
idempotent: delivery is at least once, so the same id can come again after a crash.
"""

import argparse
import asyncio
import json
import pathlib
import sys

SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "schema" / "envelope.schema.json"


def checker(schema_path):
    """A function that raises when an envelope does not fit the schema."""
    import jsonschema

    schema = json.loads(pathlib.Path(schema_path).read_text())
    validator = jsonschema.Draft202012Validator(schema)
    return validator.validate


def handle(envelope, check):
    """What your service does with one webhook; here: check it and print a line."""
    check(envelope)
    body = json.loads(envelope["body"])
    room = body.get("RoomId") or body.get("GroupId") or (body.get("EventInfo") or {}).get("RoomId")
    print(
        json.dumps(
            {
                "id": envelope["id"],
                "command": envelope["command"],
                "sdkappid": envelope["sdkappid"],
                "room": room,
            }
        ),
        flush=True,
    )


def consume_redis(url, topic, group, count, check):
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.xgroup_create(topic, group, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise
    handled = 0
    while count is None or handled < count:
        batches = client.xreadgroup(group, "consume-py", {topic: ">"}, count=16, block=5000)
        if not batches:
            if count is not None:
                raise SystemExit(f"only {handled} of {count} webhooks arrived")
            continue
        for _stream, entries in batches:
            for entry_id, fields in entries:
                handle(json.loads(fields[b"envelope"]), check)
                # Acknowledged only once handled: a crash before this redelivers it.
                client.xack(topic, group, entry_id)
                handled += 1


async def consume_nats(url, topic, stream, durable, count, check):
    import nats

    connection = await nats.connect(url)
    jetstream = connection.jetstream()
    subscription = await jetstream.pull_subscribe(topic, durable=durable, stream=stream)
    handled = 0
    while count is None or handled < count:
        try:
            messages = await subscription.fetch(16, timeout=5)
        except nats.errors.TimeoutError:
            if count is not None:
                raise SystemExit(f"only {handled} of {count} webhooks arrived")
            continue
        for message in messages:
            handle(json.loads(message.data), check)
            await message.ack_sync()
            handled += 1
    await connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="redis://HOST:PORT/DB or nats://HOST:PORT")
    parser.add_argument("--topic", default="live.webhooks", help="the stream key or subject")
    parser.add_argument("--stream", default="LIVE_WEBHOOKS", help="the JetStream stream")
    parser.add_argument("--group", default="webhook-workers", help="the consumer group or durable")
    parser.add_argument("--count", type=int, help="stop after this many")
    parser.add_argument("--schema", default=str(SCHEMA), help="the envelope's JSON Schema")
    arguments = parser.parse_args()
    check = checker(arguments.schema)
    if arguments.url.startswith(("redis://", "rediss://")):
        consume_redis(arguments.url, arguments.topic, arguments.group, arguments.count, check)
    elif arguments.url.startswith(("nats://", "tls://")):
        asyncio.run(
            consume_nats(
                arguments.url,
                arguments.topic,
                arguments.stream,
                arguments.group,
                arguments.count,
                check,
            )
        )
    else:
        sys.exit("the URL must start with redis:// or nats://")


if __name__ == "__main__":
    main()
