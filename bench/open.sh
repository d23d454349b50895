#!/usr/bin/env bash
# bench/open.sh: the open model (exp run --rate R) against vegeta attack
# -rate=R on one machine. The target (exp serve --variant goroutine,
# /health) is pinned to core 1 and each generator to core 0, rounds
# alternate the tools (A/B/A/B), and the script prints both tools'
# figures and the ratios exp/vegeta.
#
# Usage:
#   bench/open.sh                      # 3 rounds at 1000 and 4000 req/s, then the highest rate
#   bench/open.sh --rounds 5 --duration 10
#   bench/open.sh --rates "1000 4000 8000" --no-max
#   EXP=/path/to/exp bench/open.sh     # measure that binary
#
# What is compared, per rate and round:
#   - p50 and p99 latency: vegeta times from its actual send, exp from the
#     intended time, so exp's figure includes the generator's own
#     lateness (shown apart: exp's lateness p50/p99);
#   - CPU per request: user+sys of the whole generator process from
#     /usr/bin/time (exp: startup, every sample stored in SQLite and the
#     end-of-run analysis included);
#   - the highest rate each tool holds: exp with < 1% dropped and lateness
#     p99 < 1 ms, vegeta with its achieved rate and success ≥ 99% (rates
#     tried rising: 8000, 12000, 16000, 20000, 25000, 30000, 40000).
# Needs vegeta (go install github.com/tsenart/vegeta/v12@v12.13.0),
# sqlite3 and python3; skips with a message when vegeta is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
duration=5
rates="1000 4000"
find_max=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --no-max) find_max=0; shift ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "open.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

have() { command -v "$1" >/dev/null 2>&1; }
vegeta=$(command -v vegeta || echo "$(go env GOPATH)/bin/vegeta")
if [ ! -x "$vegeta" ]; then
  echo "open.sh: SKIPPED: vegeta is not installed (go install github.com/tsenart/vegeta/v12@v12.13.0)"
  exit 0
fi
for tool in sqlite3 python3; do
  have "$tool" || { echo "open.sh: SKIPPED: $tool is missing (apt-get install $tool)"; exit 0; }
done
[ -x /usr/bin/time ] || { echo "open.sh: SKIPPED: /usr/bin/time is missing (apt-get install time)"; exit 0; }

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

pin_server=() pin_gen=()
if have taskset && [ "$(nproc)" -ge 2 ]; then
  pin_server=(taskset -c 1) pin_gen=(taskset -c 0)
else
  echo "note: taskset missing or a single core: nothing is pinned"
fi

echo "== exp open-model benchmark against vegeta, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo "go: $(go version | cut -d' ' -f3-), exp at $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $("$vegeta" -version 2>/dev/null | head -1)"

if [ -n "${EXP:-}" ]; then exp=$EXP; else go build -o "$work/exp" ./cmd/exp; exp="$work/exp"; fi

"${pin_server[@]}" "$exp" serve --variant goroutine --addr 127.0.0.1:0 >"$work/serve.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/serve.out" 2>/dev/null && break
  sleep 0.05
done
base=$(sed -n 's/^listening on //p' "$work/serve.out" | head -1)
[ -n "$base" ] || { echo "the target did not start:"; cat "$work/serve.out"; exit 1; }
echo "target: exp serve --variant goroutine at $base/health (pid $server_pid)${pin_server:+, core 1}; generators${pin_gen:+ on core 0}; ${duration} s a run"

n=0
# run_exp R: prints "p50_ms p99_ms cpu_us_per_req dropped_share late_p50_ms late_p99_ms stored requests"
run_exp() {
  local r=$1 name db
  n=$(date +%s%N); name="r$n"; db="$work/exp-$n.db" # a subshell each: no counter survives
  local rc=0
  /usr/bin/time -f '%U %S' -o "$work/cpu" "${pin_gen[@]}" "$exp" run --db "$db" --url "$base" --rate "$r" \
    --duration "${duration}s" --tasks /health:1 --name "$name" >"$work/exp-$n.out" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then echo "note: exp run at $r req/s exited $rc: $(grep -m3 'exp:\|Warning' "$work/exp-$n.out" | tr '\n' ' ')" >&2; fi
  local cpu
  cpu=$(tail -n1 "$work/cpu" | awk '{print $1 + $2}')
  sqlite3 -separator ' ' "$db" "select s.p50_ms, s.p99_ms,
      $cpu * 1e6 / s.requests, 1.0 * coalesce(s.dropped, 0) / s.requests,
      coalesce(r.lateness_p50_ms, 0), coalesce(r.lateness_p99_ms, 0),
      (select count(*) from samples where run_id = r.id), s.requests
    from runs r join endpoint_stats s on s.run_id = r.id and s.endpoint_id = -1 where r.name = '$name'"
}

# run_vegeta R: prints "p50_ms p99_ms cpu_us_per_req achieved_share success requests"
run_vegeta() {
  local r=$1
  echo "GET $base/health" >"$work/targets"
  /usr/bin/time -f '%U %S' -o "$work/cpu" "${pin_gen[@]}" "$vegeta" attack -targets "$work/targets" \
    -rate "$r" -duration "${duration}s" -output "$work/vegeta.bin" 2>"$work/vegeta.err" || true
  "$vegeta" report -type json "$work/vegeta.bin" >"$work/vegeta.json"
  python3 - "$work/vegeta.json" "$(tail -n1 "$work/cpu" | awk '{print $1 + $2}')" "$r" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); cpu = float(sys.argv[2]); r = float(sys.argv[3])
n = max(m["requests"], 1)
print("%.3f %.3f %.1f %.4f %.4f %d" % (m["latencies"]["50th"] / 1e6, m["latencies"]["99th"] / 1e6,
      cpu * 1e6 / n, m["rate"] / r, m["success"], m["requests"]))
PY
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "n/a" }'; }

for r in $rates; do
  echo
  echo "-- rate $r req/s"
  printf '%-7s %-6s %9s %9s %12s %9s %11s %11s %s\n' round tool p50_ms p99_ms cpu_us/req dropped late_p50_ms late_p99_ms stored/requests
  p50r="" p99r="" cpur=""
  for i in $(seq "$rounds"); do
    # Alternate which tool goes first, so drift hits both alike.
    if [ $((i % 2)) -eq 1 ]; then order="exp vegeta"; else order="vegeta exp"; fi
    for tool in $order; do
      if [ "$tool" = exp ]; then
        read -r e50 e99 ecpu edrop el50 el99 estored ereq < <(run_exp "$r")
        printf '%-7s %-6s %9s %9s %12.1f %9.4f %11s %11s %s/%s\n' "$i" exp "$e50" "$e99" "$ecpu" "$edrop" "$el50" "$el99" "$estored" "$ereq"
      else
        read -r v50 v99 vcpu vach vok vreq < <(run_vegeta "$r")
        printf '%-7s %-6s %9s %9s %12s %9s %11s %11s achieved %s, success %s, %s requests\n' "$i" vegeta "$v50" "$v99" "$vcpu" - - - "$vach" "$vok" "$vreq"
      fi
    done
    p50r="$p50r $(ratio "$e50" "$v50")" p99r="$p99r $(ratio "$e99" "$v99")" cpur="$cpur $(ratio "$ecpu" "$vcpu")"
  done
  echo "ratios exp/vegeta at $r req/s (median of rounds): p50 $(echo "$p50r" | median) (rounds:$p50r), p99 $(echo "$p99r" | median) (rounds:$p99r), cpu/req $(echo "$cpur" | median) (rounds:$cpur)"
done

if [ "$find_max" = 1 ]; then
  echo
  echo "-- highest rate held (exp: < 1% dropped and lateness p99 < 1 ms; vegeta: achieved and success >= 99%)"
  emax=0 vmax=0
  for r in 8000 12000 16000 20000 25000 30000 40000; do
    read -r e50 e99 ecpu edrop el50 el99 estored ereq < <(run_exp "$r")
    eok=$(awk -v d="$edrop" -v l="$el99" 'BEGIN { print (d < 0.01 && l < 1) ? "yes" : "no" }')
    read -r v50 v99 vcpu vach vok vreq < <(run_vegeta "$r")
    vok2=$(awk -v a="$vach" -v s="$vok" 'BEGIN { print (a >= 0.99 && s >= 0.99) ? "yes" : "no" }')
    echo "rate $r: exp held $eok (dropped $edrop, lateness p99 $el99 ms, p99 $e99 ms, $ecpu us/req); vegeta held $vok2 (achieved $vach, success $vok, p99 $v99 ms, $vcpu us/req)"
    [ "$eok" = yes ] && emax=$r
    [ "$vok2" = yes ] && vmax=$r
    [ "$eok" = no ] && [ "$vok2" = no ] && break
  done
  echo "highest rate held: exp $emax req/s, vegeta $vmax req/s, ratio $(ratio "$emax" "$vmax")"
fi
