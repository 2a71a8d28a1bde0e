"""Benchmark of the local AWS endpoint: does a call cost what it touches, and does memory stay bounded?

Run with the project's virtualenv (source infrastructure/setup.sh first):
    .venv/bin/python infrastructure/local/bench_endpoint.py [--sizes 0,1000,10000,100000] [--reps 15]
        [--mem-rounds 10] [--mem-items 2000] [--mem-txs 150] [--skip-calls] [--skip-memory]
    .venv/bin/python infrastructure/local/bench_endpoint.py --serializer [--reps 15]   # cost per item returned
    .venv/bin/python infrastructure/local/bench_endpoint.py --throughput [--reps 5] [--ops 200] [--threads 8]
    .venv/bin/python infrastructure/local/bench_endpoint.py --partition [--reps 15]   # a day's rollups, day vs week

It starts endpoint.py as its own process on a free port and talks to it over HTTP with boto3,
as every client of the local platform does, so the figures include the HTTP round trip.

Calls: each table holds one probe partition of 100 items (pk P#probe, and the same 100 items
under one GSI1 hash key) plus N other items spread over partitions of 100. Measured in turns
across the tables (round robin, so drift on this shared machine hits every size alike), median
per call and table. Printed: per call, the ratio largest/smallest table (goal <= 1.5x), and
a 3-item TransactWriteItems against a PutItem on the same table (goal <= 4x).

Memory: a fresh endpoint, a table of --mem-items items, then --mem-rounds rounds of contention
scenarios (--mem-txs two-item booking transactions from 8 threads on capped slots, which
mostly succeed, and as many that fail their conditions), printing the endpoint process's
resident memory after each round. Goal: the last round within 1.2x the first.
"""
import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = 100  # items in the probe partition, and so in every Query answer


def start_endpoint(*extra):
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "endpoint.py"), "--port", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if "ready" not in line:
        proc.kill()
        raise SystemExit(f"endpoint did not start: {line!r}")
    return proc, line.split()[-1]


def client(url):
    return boto3.client("dynamodb", endpoint_url=url, region_name="eu-west-3",
                        aws_access_key_id="bench", aws_secret_access_key="bench",
                        config=Config(retries={"max_attempts": 1}, read_timeout=600,
                                      max_pool_connections=16))


def create_table(db, name):
    db.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "gsi1pk", "gsi1sk")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "GSI1", "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": "gsi1pk", "KeyType": "HASH"}, {"AttributeName": "gsi1sk", "KeyType": "RANGE"}]}])


def s(v):
    return {"S": v}


def load(db, name, items):
    batch = []
    for item in items:
        batch.append({"PutRequest": {"Item": item}})
        if len(batch) == 25:
            db.batch_write_item(RequestItems={name: batch})
            batch = []
    if batch:
        db.batch_write_item(RequestItems={name: batch})


def table_items(n):
    """n other items in partitions of 100, each partition also one GSI1 bucket, plus the probe partition."""
    for i in range(n):
        part = f"P#{i // PROBE}"
        yield {"pk": s(part), "sk": s(f"S#{i % PROBE:03d}"), "gsi1pk": s(f"G#{i // PROBE}"),
               "gsi1sk": s(f"{(i * 7919) % PROBE:03d}"), "v": s("x" * 40)}
    for i in range(PROBE):
        yield {"pk": s("P#probe"), "sk": s(f"S#{i:03d}"), "gsi1pk": s("G#probe"),
               "gsi1sk": s(f"{(i * 37) % PROBE:03d}#{i}"), "v": s("x" * 40)}


def calls(db, name):
    """The measured calls on one table: name -> function doing one call."""
    def query_base():
        r = db.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": s("P#probe")}, Limit=100)
        assert r["Count"] == PROBE, r["Count"]

    def query_gsi():
        r = db.query(TableName=name, IndexName="GSI1", KeyConditionExpression="gsi1pk = :p",
                     ExpressionAttributeValues={":p": s("G#probe")}, Limit=100)
        assert r["Count"] == PROBE, r["Count"]

    def get_item():
        r = db.get_item(TableName=name, Key={"pk": s("P#probe"), "sk": s("S#042")})
        assert "Item" in r

    def put_item():
        db.put_item(TableName=name, Item={"pk": s("B#" + uuid.uuid4().hex), "sk": s("BOOKING"), "v": s("x" * 40)},
                    ConditionExpression="attribute_not_exists(pk)")

    def transact_3():
        booking = "B#" + uuid.uuid4().hex
        db.transact_write_items(TransactItems=[
            {"Update": {"TableName": name, "Key": {"pk": s("SLOT#" + name), "sk": s("COUNTER")},
                        "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}},
            {"Put": {"TableName": name, "Item": {"pk": s(booking), "sk": s("BOOKING"), "v": s("x" * 40)},
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": name, "Item": {"pk": s(booking), "sk": s("PARTICIPATION"), "v": s("x")},
                     "ConditionExpression": "attribute_not_exists(pk)"}}])

    return {"Query base (100 items)": query_base, "Query GSI (100 items)": query_gsi, "GetItem": get_item,
            "PutItem": put_item, "TransactWriteItems (3 items)": transact_3}


def bench_calls(args):
    proc, url = start_endpoint()
    try:
        db = client(url)
        sizes = [int(x) for x in args.sizes.split(",")]
        for n in sizes:
            t0 = time.perf_counter()
            create_table(db, f"bench-{n}")
            load(db, f"bench-{n}", table_items(n))
            print(f"loaded bench-{n}: {n} + {PROBE} probe items in {time.perf_counter() - t0:.1f} s", flush=True)
        timings = {}  # (call, size) -> [seconds]
        per_table = {n: calls(db, f"bench-{n}") for n in sizes}
        for call in per_table[sizes[0]]:
            per_table[sizes[0]][call]()  # warm the connection and code paths once per call
        for _ in range(args.reps):
            for n in sizes:
                for call, fn in per_table[n].items():
                    t0 = time.perf_counter()
                    fn()
                    timings.setdefault((call, n), []).append(time.perf_counter() - t0)
        print()
        print("median ms per call" + "".join(f" | {n:>8}" for n in sizes) + " | largest/smallest")
        med = {k: statistics.median(v) * 1000 for k, v in timings.items()}
        for call in per_table[sizes[0]]:
            row = [med[(call, n)] for n in sizes]
            print(f"{call:<30}" + "".join(f" | {x:8.1f}" for x in row) + f" | {row[-1] / row[0]:.2f}x")
        tx, put = "TransactWriteItems (3 items)", "PutItem"
        print("TransactWriteItems / PutItem" + "".join(f" | {med[(tx, n)] / med[(put, n)]:7.2f}x" for n in sizes))
    finally:
        proc.kill()
        proc.wait()


def bench_serializer(args):
    """ms per item a Query returns, with moto's shape walk (patch 4 off) and without, in turns."""
    endpoints = {"shape walk (moto)": start_endpoint("--shape-walk"), "items direct (patch 4)": start_endpoint()}
    try:
        sizes = [10, 100, 1000]
        dbs = {}
        for label, (_, url) in endpoints.items():
            db = dbs[label] = client(url)
            create_table(db, "ser")
            # Items shaped as the telemetry function's raw readings: strings, a number, a map of numbers.
            load(db, "ser", ({"pk": s("P"), "sk": s(f"R#{i:015d}"), "at": s("2026-11-25T09:00:00Z"),
                              "values": {"M": {"energy_kwh": {"N": "4012.503"}, "power_w": {"N": "1200"}}},
                              "expiresAt": {"N": "1790000000"}} for i in range(max(sizes))))
        timings = {}
        for label, db in dbs.items():
            db.query(TableName="ser", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": s("P")}, Limit=10)
        for _ in range(args.reps):
            for label, db in dbs.items():
                for n in sizes:
                    t0 = time.perf_counter()
                    r = db.query(TableName="ser", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": s("P")}, Limit=n)
                    timings.setdefault((label, n), []).append(time.perf_counter() - t0)
                    assert r["Count"] == n, r["Count"]
        print("\nQuery of the first n items of a 1,000-item partition, median ms per call" + "".join(f" | {n:>6}" for n in sizes)
              + " | ms per item (10 -> 1000)")
        for label in dbs:
            row = [statistics.median(timings[(label, n)]) * 1000 for n in sizes]
            print(f"{label:<24}" + "".join(f" | {x:6.1f}" for x in row) + f" | {(row[-1] - row[0]) / (sizes[-1] - sizes[0]):.3f}")
    finally:
        for proc, _ in endpoints.values():
            proc.kill()
            proc.wait()


def booking_calls(db, name, i):
    """The endpoint calls of one booking, shaped as the bookings function sends them: the
    resource, its slots, then one transaction (slot counter, booking, the resident's index)."""
    db.get_item(TableName=name, Key={"pk": s("RES#1"), "sk": s("META")})
    db.query(TableName=name, KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
             ExpressionAttributeValues={":p": s("RES#1"), ":s": s("SLOT#2026-12-01")})
    booking = uuid.uuid4().hex
    db.transact_write_items(TransactItems=[
        {"Update": {"TableName": name, "Key": {"pk": s("RES#1"), "sk": s(f"SLOT#2026-12-01T{i % 20:02d}")},
                    "UpdateExpression": "ADD booked :units SET expiresAt = :ttl",
                    "ConditionExpression": "attribute_not_exists(booked) OR booked <= :room",
                    "ExpressionAttributeValues": {":units": {"N": "1"}, ":ttl": {"N": str(1900000000 + i)},
                                                  ":room": {"N": "999999"}}}},
        {"Put": {"TableName": name, "Item": {"pk": s("B#" + booking), "sk": s("BOOKING"), "status": s("CONFIRMED"),
                                             "resourceId": s("RES#1"), "startsAt": s("2026-12-01T10:00:00Z"),
                                             "units": {"N": "1"}, "revision": {"N": "0"}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Put": {"TableName": name, "Item": {"pk": s("U#" + booking[:4]), "sk": s("B#" + booking), "at": s("x")},
                 "ConditionExpression": "attribute_not_exists(pk)"}}])


def vote_calls(db, name, i):
    """A vote as the consultations function sends it: the consultation, then one transaction
    (the window check on META, the participation, the participant's tally shard)."""
    db.get_item(TableName=name, Key={"pk": s("C#1"), "sk": s("META")})
    voter = uuid.uuid4().hex
    db.transact_write_items(TransactItems=[
        {"ConditionCheck": {"TableName": name, "Key": {"pk": s("C#1"), "sk": s("META")},
                            "ConditionExpression": "#status = :open AND closesAt > :now",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": {":open": s("OPEN"), ":now": s(f"2026-12-01T10:{i % 60:02d}:00Z")}}},
        {"Put": {"TableName": name, "Item": {"pk": s("C#1"), "sk": s("P#" + voter), "at": s("x")},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": name, "Key": {"pk": s("C#1"), "sk": s(f"TALLY#{i % 10}")},
                    "UpdateExpression": "ADD #a0 :one, #a1 :one, participants :one",
                    "ExpressionAttributeNames": {"#a0": "q1=a", "#a1": "q2=b"},
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}}])


def bench_throughput(args):
    """Booking- and vote-shaped call sequences against raw PutItem, on an endpoint with patch 5
    and one without, in turns, from --threads client threads: operations per second."""
    endpoints = {"without patch 5": start_endpoint("--no-request-caches"), "with patch 5": start_endpoint()}
    try:
        dbs = {}
        for label, (_, url) in endpoints.items():
            db = dbs[label] = client(url)
            create_table(db, "tp")
            db.put_item(TableName="tp", Item={"pk": s("RES#1"), "sk": s("META"), "name": s("Salle")})
            db.put_item(TableName="tp", Item={"pk": s("C#1"), "sk": s("META"), "status": s("OPEN"),
                                              "closesAt": s("2027-01-01T00:00:00Z")})
            load(db, "tp", ({"pk": s("RES#1"), "sk": s(f"SLOT#2026-12-01T{h:02d}"), "booked": {"N": "0"}} for h in range(20)))

        def raw_put(db, name, i):
            db.put_item(TableName=name, Item={"pk": s("P#" + uuid.uuid4().hex), "sk": s("X"), "v": s("x" * 40)},
                        ConditionExpression="attribute_not_exists(pk)")
        scenarios = {"booking (GetItem, Query, 3-item transaction)": booking_calls,
                     "vote (GetItem, 3-item transaction)": vote_calls, "raw PutItem": raw_put}
        rates = {}
        for rep in range(args.reps + 1):  # the first round warms up and is not counted
            for label, db in dbs.items():
                for scenario, fn in scenarios.items():
                    t0 = time.perf_counter()
                    with ThreadPoolExecutor(args.threads) as pool:
                        list(pool.map(lambda i: fn(db, "tp", i), range(args.ops)))
                    if rep:
                        rates.setdefault((label, scenario), []).append(args.ops / (time.perf_counter() - t0))
        print(f"\nmedian operations per second, {args.reps} rounds of {args.ops} from {args.threads} threads, in turns")
        print("endpoint" + "".join(f" | {sc}" for sc in scenarios) + " | booking / raw | vote / raw")
        for label in dbs:
            row = [statistics.median(rates[(label, sc)]) for sc in scenarios]
            print(f"{label}" + "".join(f" | {x:.1f}" for x in row) + f" | {row[0] / row[2]:.0%} | {row[1] / row[2]:.0%}")
    finally:
        for proc, _ in endpoints.values():
            proc.kill()
            proc.wait()


def bench_partition(args):
    """One day's 24 hourly rollups from a device's partition after a day and after a week of
    readings (a reading a minute, as the demo fleet), queried in turns: does the query cost
    what it returns, or what the partition holds?"""
    proc, url = start_endpoint()
    try:
        db = client(url)
        create_table(db, "part")
        sizes = {}
        for device, days in (("DEV#day", 1), ("DEV#week", 7)):
            items = [{"pk": s(device), "sk": s(f"R#2026-11-{d + 1:02d}T{m // 60:02d}:{m % 60:02d}"), "v": {"N": "1"}}
                     for d in range(days) for m in range(1440)]
            items += [{"pk": s(device), "sk": s(f"H#2026-11-{d + 1:02d}T{h:02d}"), "v": {"N": "1"}}
                      for d in range(days) for h in range(24)]
            load(db, "part", items)
            sizes[device] = (days, len(items))
        timings = {}
        for rep in range(args.reps + 1):
            for device, (days, _) in sizes.items():
                t0 = time.perf_counter()
                r = db.query(TableName="part", KeyConditionExpression="pk = :p AND begins_with(sk, :h)",
                             ExpressionAttributeValues={":p": s(device), ":h": s(f"H#2026-11-{days:02d}")})
                if rep:
                    timings.setdefault(device, []).append(time.perf_counter() - t0)
                assert r["Count"] == 24, r["Count"]
        print(f"\nthe last day's 24 hourly rollups of a partition, median ms of {args.reps}, in turns")
        for device, (days, n) in sizes.items():
            print(f"after {days} day(s): {n} items in the partition | {statistics.median(timings[device]) * 1000:.1f} ms")
    finally:
        proc.kill()
        proc.wait()


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench_memory(args):
    proc, url = start_endpoint()
    try:
        db = client(url)
        name = "bench-memory"
        create_table(db, name)
        load(db, name, table_items(args.mem_items))
        print(f"\nmemory: table of {args.mem_items} + {PROBE} items, endpoint RSS {rss_mb(proc.pid):.0f} MB", flush=True)

        def booking(slot, i, cap):
            try:
                db.transact_write_items(TransactItems=[
                    {"Update": {"TableName": name, "Key": {"pk": s(slot), "sk": s("COUNTER")},
                                "UpdateExpression": "ADD n :one", "ConditionExpression": "attribute_not_exists(n) OR n < :cap",
                                "ExpressionAttributeValues": {":one": {"N": "1"}, ":cap": {"N": str(cap)}}}},
                    {"Put": {"TableName": name, "Item": {"pk": s(slot), "sk": s(f"B#{i}"), "v": s("x" * 40)},
                             "ConditionExpression": "attribute_not_exists(pk)"},
                     }], ReturnConsumedCapacity="NONE")
                return True
            except ClientError as e:
                if e.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                return False

        first = None
        for rnd in range(1, args.mem_rounds + 1):
            t0 = time.perf_counter()
            slot = f"SLOT#{rnd}"
            with ThreadPoolExecutor(8) as pool:
                # Succeeding: a slot with room for every booking.
                ok = sum(pool.map(lambda i: booking(slot, i, 10 ** 6), range(args.mem_txs)))
                # Failing: the same bookings again (the booking exists) and a full slot (cap reached).
                failed = sum(not x for x in pool.map(lambda i: booking(slot, i % args.mem_txs, 1), range(args.mem_txs)))
            rss = rss_mb(proc.pid)
            first = first or rss
            print(f"round {rnd:2d}: {ok} succeeded, {failed} failed in {time.perf_counter() - t0:6.1f} s; "
                  f"endpoint RSS {rss:7.0f} MB ({rss / first:.2f}x round 1)", flush=True)
    finally:
        proc.kill()
        proc.wait()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="0,1000,10000,100000")
    p.add_argument("--reps", type=int, default=15)
    p.add_argument("--mem-rounds", type=int, default=10)
    p.add_argument("--mem-items", type=int, default=2000)
    p.add_argument("--mem-txs", type=int, default=150)
    p.add_argument("--skip-calls", action="store_true")
    p.add_argument("--skip-memory", action="store_true")
    p.add_argument("--serializer", action="store_true", help="only the answer serializer's cost per item returned")
    p.add_argument("--throughput", action="store_true", help="only booking and vote sequences against raw PutItem, patch 5 off and on")
    p.add_argument("--partition", action="store_true", help="only a day's rollups from a day's and a week's partition")
    p.add_argument("--ops", type=int, default=200)
    p.add_argument("--threads", type=int, default=8)
    args = p.parse_args()
    if args.serializer:
        bench_serializer(args)
        return
    if args.throughput:
        bench_throughput(args)
        return
    if args.partition:
        bench_partition(args)
        return
    if not args.skip_calls:
        bench_calls(args)
    if not args.skip_memory:
        bench_memory(args)


if __name__ == "__main__":
    main()
