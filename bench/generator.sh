#!/usr/bin/env bash
# bench/generator.sh: what the load generator costs per request, exp against
# wrk and hey, on one machine. The target (exp serve --variant goroutine,
# /health) is pinned to core 0 and each generator to core 1, so the
# generator's CPU per request is measured apart from the server's and a
# generator that eats its core shows as fewer requests per second.
#
# Usage:
#   bench/generator.sh              # rounds of wrk, hey, exp (10 s each)
#   bench/generator.sh --rounds 5   # more rounds: tighter medians
#   bench/generator.sh --rss        # peak RSS of 30 s vs 60 s exp runs at
#                                   # full rate, and exp show / exp compare
#                                   # timed on those runs (about 2 minutes)
#   EXP=/path/to/exp bench/generator.sh   # measure that binary, not a build
#                                         # of this tree
#
# Each round runs wrk -t1 -c50 -d10s, hey -c 50 -z 10s, then exp run
# --users 50 --spawn-rate 50 --wait 0 --tasks /health:1 --duration 10s
# (every sample stored in a fresh SQLite file). Rounds alternate the tools
# (A/B/A/B) so that drift on a shared machine hits all of them alike. CPU is
# user+sys of the whole generator process (exp: startup, the store writer
# and the end-of-run analysis included), from /usr/bin/time, or bash's time
# where it is missing. The ratios are medians over the rounds of each
# round's exp/wrk and exp/hey. A tool that is not installed is skipped;
# apt-get install wrk hey gets both.
#
# The HTTPS round does the same against a second target, exp serve --tls
# (a self-signed certificate; no tool verifies it: hey never does, wrk
# does not, exp is given --insecure), each generator over TLS with
# keep-alive, HTTP/1.1: hey, wrk when it was built with TLS, then exp
# (our own client over crypto/tls, every sample and its phases stored).
# Its ratios are exps/heys (and exps/wrks): exp's CPU per request over
# HTTPS against hey's. --no-https skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
duration=10
mode=ratios
https=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-https) https=0; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rss) mode=rss; shift ;;
    -h|--help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "generator.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
server_pid=""
tls_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$tls_pid" ]; then kill "$tls_pid" 2>/dev/null || true; wait "$tls_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

have() { command -v "$1" >/dev/null 2>&1; }

# Pinning: server on core 0, generators on core 1.
pin_server=() pin_gen=()
if have taskset && [ "$(nproc)" -ge 2 ]; then
  pin_server=(taskset -c 0) pin_gen=(taskset -c 1)
else
  echo "note: taskset missing or a single core: nothing is pinned, generator and server share the CPU"
fi

# cpu_run OUT CPUFILE CMD...: runs CMD with stdout+stderr to OUT and
# writes "user sys" seconds of it to CPUFILE.
cpu_run() {
  local out=$1 cpu=$2; shift 2
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%U %S' -o "$cpu" "$@" >"$out" 2>&1
  else
    local TIMEFORMAT='%U %S'
    { time "$@" >"$out" 2>&1; } 2>"$cpu"
  fi
}

echo "== exp generator benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo "go: $(go version | cut -d' ' -f3-), exp at $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- 2>/dev/null || echo ' (modified)')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"

if [ -n "${EXP:-}" ]; then
  exp=$EXP
  echo "exp: the prebuilt $EXP (\$EXP)"
else
  go build -o "$work/exp" ./cmd/exp
  exp="$work/exp"
fi

"${pin_server[@]}" "$exp" serve --variant goroutine --addr 127.0.0.1:0 >"$work/serve.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/serve.out" 2>/dev/null && break
  sleep 0.05
done
base=$(sed -n 's/^listening on //p' "$work/serve.out" | head -1)
[ -n "$base" ] || { echo "the target did not start:"; cat "$work/serve.out"; exit 1; }
url="$base/health"
echo "target: exp serve --variant goroutine at $base (pid $server_pid)${pin_server:+, core 0}; generators${pin_gen:+ on core 1}"

# The HTTPS target, on the server's core too.
tbase="" turl=""
if [ "$https" = 1 ]; then
  "${pin_server[@]}" "$exp" serve --variant goroutine --tls --addr 127.0.0.1:0 >"$work/tls.out" 2>&1 &
  tls_pid=$!
  for _ in $(seq 100); do
    grep -q '^listening on ' "$work/tls.out" 2>/dev/null && break
    sleep 0.05
  done
  tbase=$(sed -n 's/^listening on //p' "$work/tls.out" | head -1)
  [ -n "$tbase" ] || { echo "the HTTPS target did not start:"; cat "$work/tls.out"; exit 1; }
  turl="$tbase/health"
  echo "HTTPS target: exp serve --variant goroutine --tls at $tbase (pid $tls_pid); $(sed -n 's/^certificate //p' "$work/tls.out" | head -1)"
fi

# server_cpu: the target's user+sys CPU seconds so far, from /proc (0
# where there is no /proc): each run's share of it is the server's cost
# per request under that generator.
ticks=$(getconf CLK_TCK 2>/dev/null || echo 100)
server_cpu() {
  awk -v t="$ticks" '{print ($14 + $15) / t}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# to_ms VALUE: wrk's latency such as 812.00us, 1.21ms or 1.02s in ms.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.3f", n }'
}

# run_TOOL ROUND: runs one measurement and appends a line
# "tool round rps requests cpu_s p50_ms p99_ms" to $work/results.
# measure TOOL ROUND: runs run_TOOL and adds the server's CPU seconds
# during it as an 8th field.
measure() {
  local s0 s1 pid=$server_pid
  case "$1" in *s) pid=$tls_pid ;; esac
  s0=$(server_cpu "$pid")
  "run_$1" "$2"
  s1=$(server_cpu "$pid")
  sed -i '$ s/$/ '"$(awk -v a="$s0" -v b="$s1" 'BEGIN {print b - a}')"'/' "$work/results"
}

run_wrk() { wrk_at "$url" wrk "$1"; }
run_wrks() { wrk_at "$turl" wrks "$1"; }

# wrk_at URL NAME ROUND
wrk_at() {
  cpu_run "$work/wrk.out" "$work/wrk.cpu" "${pin_gen[@]}" wrk -t1 -c50 -d"${duration}s" --latency "$1"
  local req rps p50 p99
  req=$(awk '/requests in/ {print $1}' "$work/wrk.out")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$work/wrk.out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/wrk.out")")
  echo "$2 $3 $rps $req $(awk '{print $1 + $2}' "$work/wrk.cpu") $p50 $p99" >>"$work/results"
}

run_hey() { hey_at "$url" hey "$1"; }
run_heys() { hey_at "$turl" heys "$1"; }

# hey_at URL NAME ROUND
hey_at() {
  cpu_run "$work/hey.out" "$work/hey.cpu" "${pin_gen[@]}" hey -c 50 -z "${duration}s" "$1"
  local req rps p50 p99
  req=$(awk '/\[[0-9]+\][ \t]+[0-9]+ responses/ {n += $2} END {print n + 0}' "$work/hey.out")
  rps=$(awk '/Requests\/sec:/ {print $2}' "$work/hey.out")
  p50=$(awk '$1 == "50%" {printf "%.3f", $3 * 1000}' "$work/hey.out")
  p99=$(awk '$1 == "99%" {printf "%.3f", $3 * 1000}' "$work/hey.out")
  echo "$2 $3 $rps $req $(awk '{print $1 + $2}' "$work/hey.cpu") $p50 $p99" >>"$work/results"
}

run_exp() { exp_at "$base" exp "$1"; }
run_exps() { exp_at "$tbase" exps "$1" --insecure; }

# exp_at BASE NAME ROUND [FLAGS...]
exp_at() {
  local b=$1 name=$2 r=$3; shift 3
  cpu_run "$work/exp.out" "$work/exp.cpu" "${pin_gen[@]}" "$exp" run --db "$work/$name-$r.db" --name "bench-$r" \
    --url "$b" --users 50 --spawn-rate 50 --wait 0 --tasks /health:1 --duration "${duration}s" "$@"
  # The Aggregated row: requests, failures, | avg min max median p95 p99 (ms) | req/s
  awk -v r="$r" -v n="$name" -v cpu="$(awk '{print $1 + $2}' "$work/exp.cpu")" \
    '$1 == "Aggregated" {print n, r, $12, $2, cpu, $8, $10}' "$work/exp.out" >>"$work/results"
  grep -q Aggregated "$work/exp.out" || { echo "exp run failed:"; cat "$work/exp.out"; exit 1; }
}

tools=()
for t in wrk hey; do
  if have "$t"; then tools+=("$t"); else echo "note: $t is not installed (apt-get install $t): skipped"; fi
done
tools+=(exp)
if [ "$https" = 1 ]; then
  have hey && tools+=(heys)
  # Debian's wrk is built with OpenSSL; a build without TLS fails here.
  if have wrk && wrk -t1 -c1 -d1s "$turl" >/dev/null 2>&1; then tools+=(wrks); else echo "note: wrk cannot load https here: HTTPS round without it"; fi
  tools+=(exps)
fi

if [ "$mode" = rss ]; then
  echo
  echo "== peak RSS of exp run at full rate (50 users, no wait, /health), /usr/bin/time -v"
  [ -x /usr/bin/time ] || { echo "/usr/bin/time is needed for --rss"; exit 1; }
  for d in 30 60; do
    /usr/bin/time -v "${pin_gen[@]}" "$exp" run --db "$work/rss.db" --name "rss-${d}s" --url "$base" \
      --users 50 --spawn-rate 50 --wait 0 --tasks /health:1 --duration "${d}s" >"$work/rss.out" 2>&1
    awk -v d="$d" '/Maximum resident set size/ {rss = $NF}
      $1 == "Aggregated" {n = $2; rps = $12}
      END {printf "%2ss run: %9d samples (%6.0f req/s), peak RSS %6.1f MB\n", d, n, rps, rss / 1024}' "$work/rss.out"
  done
  echo
  echo "== exp show and exp compare of those runs (wall time)"
  for cmd in "show rss-30s" "show rss-60s" "compare rss-30s rss-60s --out $work/plots"; do
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$exp" --db "$work/rss.db" $cmd >"$work/show.out" 2>&1 || { cat "$work/show.out"; exit 1; }
    printf "exp %-24s %5.2f s\n" "${cmd%% --out*}" "$(echo "$(date +%s.%N) - $start" | bc)"
  done
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
  exit 0
fi

# Warm the target up (its first requests grow goroutine stacks and pools).
"${pin_gen[@]}" "$exp" run --db "$work/warm.db" --name warm --url "$base" --users 50 --spawn-rate 1000 \
  --wait 0 --tasks /health:1 --duration 2s >/dev/null 2>&1

: >"$work/results"
for r in $(seq "$rounds"); do
  for t in "${tools[@]}"; do
    measure "$t" "$r"
    tail -1 "$work/results" | awk '{printf "round %s  %-4s %9.0f req/s\n", $2, $1, $3}'
  done
done

echo
echo "== each run (generator pinned to one core, 50 connections, ${duration} s; server cpu-us/req: the target's CPU over the same requests; heys, wrks, exps: over HTTPS)"
printf "%-5s %-4s %10s %10s %8s %12s %9s %9s %12s\n" round tool "req/s" requests "cpu s" "cpu-us/req" "p50 ms" "p99 ms" "server us/req"
awk '{printf "%-5s %-4s %10.0f %10d %8.2f %12.2f %9.3f %9.3f %12.2f\n", $2, $1, $3, $4, $5, $5 * 1e6 / $4, $6, $7, $8 * 1e6 / $4}' "$work/results"

median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo
echo "== medians over $rounds rounds"
printf "%-4s %10s %12s %9s %9s %12s\n" tool "req/s" "cpu-us/req" "p50 ms" "p99 ms" "server us/req"
for t in "${tools[@]}"; do
  printf "%-4s %10.0f %12.2f %9.3f %9.3f %12.2f\n" "$t" \
    "$(awk -v t="$t" '$1 == t {print $3}' "$work/results" | median)" \
    "$(awk -v t="$t" '$1 == t {print $5 * 1e6 / $4}' "$work/results" | median)" \
    "$(awk -v t="$t" '$1 == t {print $6}' "$work/results" | median)" \
    "$(awk -v t="$t" '$1 == t {print $7}' "$work/results" | median)" \
    "$(awk -v t="$t" '$1 == t {print $8 * 1e6 / $4}' "$work/results" | median)"
done

echo
echo "== ratios, median of each round's pair (targets: cpu ≤ 1.25 × wrk, req/s ≥ 0.95 × wrk; over HTTPS cpu ≤ 0.8 × hey)"
pairs=()
for t in "${tools[@]}"; do
  case "$t" in
    exp|exps) ;;
    *s) pairs+=("exps:$t") ;;
    *) pairs+=("exp:$t") ;;
  esac
done
for pr in "${pairs[@]}"; do
  e=${pr%%:*} t=${pr#*:}
  cpu=$(awk -v t="$t" -v x="$e" '$1 == t {o[$2] = $5 / $4} $1 == x {e[$2] = $5 / $4}
    END {for (r in e) if (r in o) print e[r] / o[r]}' "$work/results" | median)
  rps=$(awk -v t="$t" -v x="$e" '$1 == t {o[$2] = $3} $1 == x {e[$2] = $3}
    END {for (r in e) if (r in o) print e[r] / o[r]}' "$work/results" | median)
  printf "%s/%-4s CPU per request %.2f×   requests/s %.2f×\n" "$e" "$t" "$cpu" "$rps"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
