"""Fixed-arrival-rate load for scripts/bench (the mixed working day).

Requests are sent at fixed times (rate per second, evenly spaced), whatever
the server is doing, and each one's latency is measured from the time it was
due, not from when it went out: a server that stalls is charged for every
request that should have been sent meanwhile (no coordinated omission, which
wrk's closed loop of connections suffers from). Each request is drawn from a
class (reading, search, people, writes, cheap calls) by its share, then from
the class's requests at random, each with its own member's cookie or token.

    python bench_rate.py PLAN.json --rate 400 --duration 10 [--warm SECONDS]
        [--step-up] [--max-rate N] --out RESULT.json

PLAN.json: {"base": "http://127.0.0.1:PORT", "members": [{"cookie": "guildhall_session=...",
"token": "Bearer ...", "handle": "...", "topics": [N, ...]}], "words": [...],
"searches": [...], "classes": [{"name": "reading", "share": 70, "requests":
[{"name": "...", "method": "GET", "path": "/...", "auth": "cookie"}]}]}.
Each request is sent as a member drawn at random: "auth" is "cookie" (their
session), "token" (their API token) or "none"; the path's {handle}, {word},
{search} and {topic} are filled in from the member (a topic they may reply
to), the people words and the search words. "reply": true sends a new JSON
body {"body": "..."} each time.

--warm SECONDS sends the first rate for that long first, uncounted, as the
bench warms each scenario: the switch from the scenarios' closed loop (work
queued behind the last of them, connections opened) is not charged to the
working day. With --step-up, after the first rate the rate doubles until p99 passes 1 s or
a request fails (or --max-rate), or halves until it holds when the first rate
was too much; then one step halfway between the last good and the first bad
rate. The generator says when it could not keep to the
schedule itself (then the figure is the generator's limit, not the server's).

Runs in the virtual environment scripts/bench makes (aiohttp and uvloop from
PyPI).
"""

import argparse
import asyncio
import json
import random
import sys
import time

import aiohttp

try:
    import uvloop
except ImportError:  # pragma: no cover - the bench installs it
    uvloop = None

TIMEOUT = 10.0
P99_LIMIT = 1.0
MIN_RATE = 25
WORDS = (
    "housing homelessness planning waste recycling licensing libraries budget guidance "
    "consultation procurement safeguarding volunteers highways tenants inspection"
).split()


def quantile(sorted_values, q):
    if not sorted_values:
        return 0.0
    i = min(len(sorted_values) - 1, max(0, round(q * len(sorted_values)) - 1))
    return sorted_values[i]


def summary(records):
    lat = sorted(r[2] for r in records)
    errors = sum(1 for r in records if r[3] is not None)
    return {
        "requests": len(records),
        "p50_ms": quantile(lat, 0.50) * 1000,
        "p99_ms": quantile(lat, 0.99) * 1000,
        "max_ms": (lat[-1] if lat else 0) * 1000,
        "errors": errors,
    }


def fill(plan, req, rng):
    """The path and headers of one request of template `req`, as a member drawn at random."""
    path = req["path"]
    members = plan["members"]
    if "{topic}" in path:
        members = [m for m in members if m.get("topics")] or members
    m = rng.choice(members)
    if "{" in path:
        path = path.format(
            handle=m.get("handle", ""),
            word=rng.choice(plan.get("words") or ["housing"]),
            search=rng.choice(plan.get("searches") or ["housing"]),
            topic=rng.choice(m.get("topics") or [0]),
        )
    auth = req.get("auth", "none")
    headers = {"Cookie": m["cookie"]} if auth == "cookie" else {"Authorization": m["token"]} if auth == "token" else {}
    return path, headers


async def one(session, plan, req, due, cls, records, rng):
    body = None
    path, headers = fill(plan, req, rng)
    if req.get("reply"):
        words = " ".join(rng.choice(WORDS) for _ in range(12))
        body = json.dumps({"body": f"A benchmark reply about {words}."})
        headers["Content-Type"] = "application/json"
    err = None
    try:
        async with session.request(
            req.get("method", "GET"),
            plan["base"] + path,
            headers=headers,
            data=body,
            allow_redirects=False,
        ) as r:
            await r.read()
            if not 200 <= r.status < 400:
                err = f"HTTP {r.status} {req['name']}"
    except asyncio.TimeoutError:
        err = f"timeout {req['name']}"
    except aiohttp.ClientError as e:
        err = f"{type(e).__name__} {req['name']}"
    records.append((cls, req["name"], time.perf_counter() - due, err))


async def step(session, plan, rate, duration, seed):
    rng = random.Random(seed)
    classes = [c for c in plan["classes"] if c["requests"] and c["share"] > 0]
    shares = [c["share"] for c in classes]
    records = []
    lags = []
    tasks = set()
    n = max(1, int(rate * duration))
    # perf_counter, not the loop's clock: uvloop's counts whole milliseconds.
    start = time.perf_counter() + 0.05
    for i in range(n):
        due = start + i / rate
        ahead = due - time.perf_counter()
        if ahead > 0.001:
            await asyncio.sleep(ahead)
        lags.append(max(0.0, time.perf_counter() - due))
        cls = rng.choices(classes, shares)[0]
        req = rng.choice(cls["requests"])
        task = asyncio.create_task(one(session, plan, req, due, cls["name"], records, rng))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    sent_seconds = max(time.perf_counter() - start, 1e-9)
    if tasks:
        await asyncio.wait(set(tasks), timeout=TIMEOUT + 2)
    for t in list(tasks):
        t.cancel()
    lags.sort()
    result = summary(records)
    result.update(
        rate=rate,
        sent_per_second=n / sent_seconds,
        lag_p99_ms=quantile(lags, 0.99) * 1000,
        unfinished=n - len(records),
        classes={c["name"]: summary([r for r in records if r[0] == c["name"]]) for c in classes},
        first_errors=sorted({r[3] for r in records if r[3]})[:5],
    )
    result["errors"] += result["unfinished"]
    # The generator fell behind its own schedule: what was measured is its limit.
    result["generator_behind"] = result["lag_p99_ms"] > 50 or result["sent_per_second"] < 0.95 * rate
    return result


def good(result):
    return result["p99_ms"] <= P99_LIMIT * 1000 and result["errors"] == 0


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plan")
    ap.add_argument("--rate", type=float, default=400)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--warm", type=float, default=0)
    ap.add_argument("--step-up", action="store_true")
    ap.add_argument("--max-rate", type=float, default=12800)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    plan = json.load(open(args.plan))
    connector = aiohttp.TCPConnector(limit=1000, limit_per_host=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    out = {"shares": {c["name"]: c["share"] for c in plan["classes"] if c["requests"]}, "steps": []}
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        async def at(rate, pause):
            """One step at `rate` after `pause` seconds: recorded, told, and whether it held."""
            await asyncio.sleep(pause)
            r = await step(session, plan, rate, args.duration, len(out["steps"]) + 1)
            out["steps"].append(r)
            log(r)
            return good(r)

        rate = args.rate
        if args.warm > 0:
            await step(session, plan, rate, args.warm, 0)
        held = await at(rate, 0)
        if args.step_up:
            last_good = rate if held else None
            first_bad = None if held else rate
            while first_bad is None and rate * 2 <= args.max_rate:
                rate *= 2
                if await at(rate, 1):
                    last_good = rate
                else:
                    first_bad = rate
            # Too much at the first rate: halve it until it holds.
            while last_good is None and rate / 2 >= MIN_RATE:
                rate /= 2
                if await at(rate, 2):
                    last_good = rate
                else:
                    first_bad = rate
            if last_good is not None and first_bad is not None and first_bad > last_good * 1.2:
                mid = round((last_good + first_bad) / 2)
                if await at(mid, 1):
                    last_good = mid
                else:
                    first_bad = mid
            out["last_good"] = last_good
            out["first_bad"] = first_bad
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)


def log(r):
    behind = " (the generator fell behind its schedule)" if r["generator_behind"] else ""
    print(
        f"bench: {r['rate']:.0f} requests/s due, {r['sent_per_second']:.0f} sent: p50 {r['p50_ms']:.1f} ms, "
        f"p99 {r['p99_ms']:.1f} ms, {r['errors']} errors{behind}",
        file=sys.stderr,
    )
    for e in r["first_errors"]:
        print(f"bench:   {e}", file=sys.stderr)


if __name__ == "__main__":
    (uvloop.run if uvloop is not None else asyncio.run)(main())
