// Package target is the server under test: a small HTTP server whose
// concurrency model is chosen by name, and the code that runs it as a child
// process of a load test so its CPU and memory are measured apart from the
// load generator's.
//
// # Endpoints
//
// All answer JSON, GET or HEAD only (405 otherwise), 404 for other paths:
//
//	GET /health              {"status":"ok"}; pre-encoded, allocates nothing of its own
//	GET /io?ms=200           sleeps ms (0..60000) milliseconds: I/O-bound work
//	GET /cpu?work=N          N xorshift64 steps (default Options.CPUWork); returns the result
//	GET /mem?mb=64&hold=1s   allocates mb (0..1024) MB, touches every page, holds it, frees it
//
// A malformed or out-of-range parameter gets 400 with {"error": "..."}.
// /mem returns memory to the OS when it lets go (debug.FreeOSMemory), so a
// monitor sees RSS rise and fall; all /mem requests together hold at most
// 2 GiB, beyond which they get 503.
//
// # Variants
//
// Every endpoint, /health included, goes through the variant:
//
//   - single: one request at a time; the rest wait (a single-threaded server).
//   - pooled: at most PoolSize at once and at most Queue waiting; beyond
//     that, 503 {"error":"queue full"} at once.
//   - goroutine: Go's goroutine per request, unbounded.
//
// KeepAlive=false makes the server close every connection after its
// response (Connection: close); IdleTimeout bounds idle keep-alive
// connections. StallEvery/StallFor freeze the whole server for StallFor
// every StallEvery from start: a request arriving in a window, or whose
// answer falls in one, is answered only when the window ends. That is the
// pause a closed-model load test under-reports (coordinated omission) and
// an open-model one shows.
//
// # HTTPS and HTTP/2
//
// TLS serves HTTPS with a self-signed ECDSA certificate made in memory at
// start (for localhost, 127.0.0.1, ::1 and the listening host; a day
// long); `exp serve` prints its SHA-256 fingerprint after the listening
// line and writes its PEM to CertOut (--cert-out) for a client's
// --ca-cert. Start makes that file in a temporary directory when none is
// named (Process.CertFile), trusts it for the health check and removes it
// at Stop. HTTP2 speaks HTTP/2 beside HTTP/1.1: h2 by ALPN over TLS, h2c
// with prior knowledge over cleartext (net/http's Protocols).
//
// # Calibration of /cpu
//
// DefaultCPUWork = 5,000,000 steps. BenchmarkCPUWork on the development
// machine (2 vCPU AMD EPYC, "Oxide Virtual Turin-like", Go 1.26, shared
// with other jobs at load average ~6) gave 8.9–10.4 ms/op with -cpu 2 and
// 10.5–13.7 ms/op with -cpu 1; the fastest run, 8.94 ms, is 1.79 ns per
// step, about the 6 dependent ALU operations of one xorshift step. 5 M
// steps is thus about 9 ms on an idle core and 10 ms under light load. Each
// step depends on the last, so one request is one core's serial work and
// the compiler cannot drop the loop: its result is in the response.
// Re-measure with
//
//	go test -run '^$' -bench CPUWork -benchtime 50x -count 5 ./target/
//
// # Data in and out
//
// Options (from DefaultOptions, then flags bound by Options.BindFlags or
// set in code) go in; Validate names the field at fault (an *input.Error,
// which the CLI spells as its flag). Listen + Server.Run serve in this
// process (exp serve), Server.Announce writing its first lines. Start runs `exp serve` as a child:
// Options.Args become its flags, its first stdout line "listening on URL"
// gives Process.URL, and it is ready when /health answers 200. The child
// also watches its stdin (the hidden --stop-on-stdin-eof flag): when the
// parent stops it or dies, stdin closes and the child shuts down, so no
// target outlives its run on any OS. StartCommand runs any other server
// (--target-cmd "python app.py") in its own process group, so Stop ends its
// workers too. Options.Params is what a run stores about its variant.
package target
