#!/usr/bin/env bash
# bench/ui.sh: what a browser watching a run live costs the generator.
# exp ui starts the runs itself (the generator is the exp ui process), one
# at a time, rounds alternating unwatched / watched: a watched run has a
# client on its Server-Sent Events stream (what the page reads every
# second). Prints the generator's CPU per request for both and the ratio.
#
# Usage: bench/ui.sh [--rounds 3] [--duration 10] [--users 20]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 duration=10 users=20
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ui.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "ui.sh: SKIPPED: python3 is missing"; exit 0; }
work=$(mktemp -d)
ui_pid=""
cleanup() { [ -n "$ui_pid" ] && kill "$ui_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
go build -o "$work/exp" ./cmd/exp
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$work/exp" ui --db "$work/exp.db" --addr "127.0.0.1:$port" >"$work/ui.out" 2>&1 &
ui_pid=$!
echo "== exp ui live-view cost, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores; exp ui pid $ui_pid on port $port"
python3 - "$port" "$ui_pid" "$rounds" "$duration" "$users" <<'PY'
import json, os, re, sys, threading, time, urllib.request
port, pid, rounds, duration, users = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
base = "http://127.0.0.1:%s" % port
for _ in range(100):
    try:
        page = urllib.request.urlopen(base + "/").read().decode(); break
    except Exception:
        time.sleep(0.1)
csrf = re.search(r'name="csrf" content="([0-9a-f]+)"', page).group(1)
tick = os.sysconf("SC_CLK_TCK")
def cpu():
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick
def api(path, body=None):
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf, "Origin": base})
    return json.loads(urllib.request.urlopen(req).read())
def watch(name, stop):
    r = urllib.request.urlopen(base + "/api/runs/%s/live" % name)
    while not stop.is_set():
        if not r.readline(): break
results = {"unwatched": [], "watched": []}
for i in range(rounds):
    order = ["unwatched", "watched"] if i % 2 == 0 else ["watched", "unwatched"]
    for mode in order:
        name = "%s-%d" % (mode, i)
        c0 = cpu()
        api("/api/runs", {"variant": "goroutine", "users": users, "spawn-rate": "1000", "duration": duration + "s",
                          "tasks": "/health:1", "wait": "0", "name": name})
        stop = threading.Event()
        if mode == "watched":
            threading.Thread(target=watch, args=(name, stop), daemon=True).start()
        while api("/api/runs/" + name)["run"]["status"] == "running":
            time.sleep(0.5)
        stop.set()
        c1 = cpu()
        n = api("/api/runs/" + name)["aggregated"]["requests"]
        us = (c1 - c0) * 1e6 / n
        results[mode].append(us)
        print("round %d %-9s %8d requests  %6.2f us CPU a request (exp ui process: generator, store, the live view)" % (i + 1, mode, n, us))
med = lambda xs: sorted(xs)[len(xs) // 2]
print("median: unwatched %.2f us, watched %.2f us a request: watched/unwatched %.3f" % (
    med(results["unwatched"]), med(results["watched"]), med(results["watched"]) / med(results["unwatched"])))
PY
