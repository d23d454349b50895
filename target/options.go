package target

import (
	"encoding/json"
	"exp/input"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Variant names how the server admits concurrent requests.
type Variant string

// The variants, chosen by name with --variant.
const (
	Single    Variant = "single"    // one request at a time; the rest wait
	Pooled    Variant = "pooled"    // at most PoolSize at once, Queue waiting, 503 beyond
	Goroutine Variant = "goroutine" // Go's goroutine per request, unbounded
)

// Variants lists the known variants in the order help text shows them.
func Variants() []Variant { return []Variant{Single, Pooled, Goroutine} }

// Known reports whether v is one of Variants.
func (v Variant) Known() bool {
	for _, k := range Variants() {
		if v == k {
			return true
		}
	}
	return false
}

// String, Set and Type make *Variant a pflag.Value, so an unknown name is
// rejected while flags are parsed.
func (v Variant) String() string { return string(v) }
func (v *Variant) Set(s string) error {
	if !Variant(s).Known() {
		return unknownVariant(s)
	}
	*v = Variant(s)
	return nil
}
func (v *Variant) Type() string { return "variant" }

// ParseVariants parses a list of variants "single,pooled,goroutine";
// each once, each known.
func ParseVariants(s string) ([]Variant, error) {
	var out []Variant
	seen := map[Variant]bool{}
	for _, name := range strings.Split(s, ",") {
		v := Variant(strings.TrimSpace(name))
		if !v.Known() {
			return nil, input.Wrap("variants", unknownVariant(string(v)))
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out, nil
}

func unknownVariant(s string) error {
	names := make([]string, 0, 3)
	for _, k := range Variants() {
		names = append(names, string(k))
	}
	return fmt.Errorf("unknown variant %q (known: %s)", s, strings.Join(names, ", "))
}

// Defaults that DefaultOptions fills in.
const (
	DefaultQueue       = 128
	DefaultIdleTimeout = 60 * time.Second
	DefaultAddr        = "127.0.0.1:0"
)

// Bounds on what a request may ask for, so one request cannot take the
// machine: a shared 2-core box must stay usable.
const (
	MaxIOMillis  = 60_000
	MaxMemMB     = 1024
	MaxMemHold   = 60 * time.Second
	MaxCPUFactor = 1000 // /cpu?work= at most MaxCPUFactor × DefaultCPUWork
)

// Options configure the target server. Start from DefaultOptions: the zero
// value is not valid (PoolSize 0, KeepAlive off).
type Options struct {
	Variant     Variant
	PoolSize    int           // pooled: requests handled at once
	Queue       int           // pooled: requests waiting beyond PoolSize; more get 503
	KeepAlive   bool          // false: close every connection after its response
	IdleTimeout time.Duration // how long an idle keep-alive connection is kept
	Addr        string        // host:port to listen on
	// StallEvery > 0 freezes the server for StallFor every StallEvery,
	// counted from server start, to show coordinated omission.
	StallEvery time.Duration
	StallFor   time.Duration
	CPUWork    int // iterations of /cpu when the request gives no ?work=
	// TLS serves HTTPS with a self-signed certificate made at start (its
	// PEM written to CertOut when set); HTTP2 speaks HTTP/2 too: h2 by
	// ALPN over TLS, h2c with prior knowledge over cleartext.
	TLS     bool
	CertOut string
	HTTP2   bool
}

// DefaultOptions is the goroutine variant on 127.0.0.1 with an ephemeral
// port, keep-alive on, and a pool of 4 × GOMAXPROCS for when pooled is chosen.
func DefaultOptions() Options {
	return Options{
		Variant:     Goroutine,
		PoolSize:    4 * runtime.GOMAXPROCS(0),
		Queue:       DefaultQueue,
		KeepAlive:   true,
		IdleTimeout: DefaultIdleTimeout,
		Addr:        DefaultAddr,
		CPUWork:     DefaultCPUWork,
	}
}

// Validate checks the options; its errors are *input.Error naming the
// field at fault.
func (o Options) Validate() error {
	if !o.Variant.Known() {
		return input.Wrap("variant", unknownVariant(string(o.Variant)))
	}
	if o.PoolSize < 1 {
		return input.Errorf("pool-size", "must be at least 1, got %d", o.PoolSize)
	}
	if o.Queue < 0 {
		return input.Errorf("queue", "must be 0 or more, got %d", o.Queue)
	}
	if o.IdleTimeout < 0 {
		return input.Errorf("idle-timeout", "must be 0 or more, got %v", o.IdleTimeout)
	}
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		return input.Errorf("addr", "%q: want host:port such as 127.0.0.1:8080 (:0 picks a free port)", o.Addr)
	}
	if o.CPUWork < 1 {
		return input.Errorf("cpu-work", "must be at least 1, got %d", o.CPUWork)
	}
	if o.CertOut != "" && !o.TLS {
		return input.Errorf(flagCertOut, "%q needs %v", o.CertOut, input.Name("tls"))
	}
	return o.validateStall()
}

func (o Options) validateStall() error {
	switch {
	case o.StallEvery < 0:
		return input.Errorf("stall-every", "must be 0 (off) or more, got %v", o.StallEvery)
	case o.StallFor < 0:
		return input.Errorf("stall-for", "must be 0 or more, got %v", o.StallFor)
	case o.StallEvery == 0 && o.StallFor > 0:
		return input.Errorf("stall-for", "%v needs a stall-every", o.StallFor)
	case o.StallEvery > 0 && o.StallFor == 0:
		return input.Errorf("stall-every", "%v needs a stall-for", o.StallEvery)
	case o.StallEvery > 0 && o.StallFor >= o.StallEvery:
		return input.Errorf("stall-for", "%v must be shorter than stall-every %v", o.StallFor, o.StallEvery)
	}
	return nil
}

// Flag names, shared by BindFlags and Args.
const (
	flagVariant     = "variant"
	flagPoolSize    = "pool-size"
	flagQueue       = "queue"
	flagKeepAlive   = "keepalive"
	flagIdleTimeout = "idle-timeout"
	flagAddr        = "addr"
	flagStallEvery  = "stall-every"
	flagStallFor    = "stall-for"
	flagCPUWork     = "cpu-work"
	flagTLS         = "tls"
	flagCertOut     = "cert-out"
	flagHTTP2       = "http2"
)

// StdinEOFFlag is the hidden `exp serve` flag that Start passes: the child
// shuts down when its stdin reaches end of file, which happens when the
// parent stops it or dies in any way, so no target outlives its run.
const StdinEOFFlag = "stop-on-stdin-eof"

// BindFlags registers the server's flags on fs, bound to o's fields, with
// o's current values as defaults. `exp serve` and `exp run` share them.
func (o *Options) BindFlags(fs *pflag.FlagSet) {
	fs.Var(&o.Variant, flagVariant, "server variant: single, pooled or goroutine")
	fs.IntVar(&o.PoolSize, flagPoolSize, o.PoolSize, "pooled: requests handled at once")
	fs.IntVar(&o.Queue, flagQueue, o.Queue, "pooled: requests waiting for a worker; more are answered 503")
	fs.BoolVar(&o.KeepAlive, flagKeepAlive, o.KeepAlive, "keep connections open between requests (--keepalive=false closes each)")
	fs.DurationVar(&o.IdleTimeout, flagIdleTimeout, o.IdleTimeout, "close a keep-alive connection idle this long")
	fs.StringVar(&o.Addr, flagAddr, o.Addr, "address the target listens on (host:port; port 0 picks a free one)")
	fs.DurationVar(&o.StallEvery, flagStallEvery, o.StallEvery, "freeze the whole server every this long (0: never)")
	fs.DurationVar(&o.StallFor, flagStallFor, o.StallFor, "how long each freeze lasts")
	fs.IntVar(&o.CPUWork, flagCPUWork, o.CPUWork, "iterations of /cpu when the request gives no ?work=")
	fs.BoolVar(&o.TLS, flagTLS, o.TLS, "serve HTTPS with a self-signed certificate made at start (its SHA-256 fingerprint is printed)")
	fs.StringVar(&o.CertOut, flagCertOut, o.CertOut, "with --tls: write the certificate (PEM) to this file, for a client's --ca-cert")
	fs.BoolVar(&o.HTTP2, flagHTTP2, o.HTTP2, "speak HTTP/2 too: h2 over TLS (ALPN), h2c with prior knowledge over cleartext")
}

// Args gives the `exp serve` flags that reproduce o (without "serve").
func (o Options) Args() []string {
	args := []string{
		"--" + flagVariant + "=" + string(o.Variant),
		"--" + flagPoolSize + "=" + strconv.Itoa(o.PoolSize),
		"--" + flagQueue + "=" + strconv.Itoa(o.Queue),
		"--" + flagKeepAlive + "=" + strconv.FormatBool(o.KeepAlive),
		"--" + flagIdleTimeout + "=" + o.IdleTimeout.String(),
		"--" + flagAddr + "=" + o.Addr,
		"--" + flagCPUWork + "=" + strconv.Itoa(o.CPUWork),
	}
	if o.TLS {
		args = append(args, "--"+flagTLS)
	}
	if o.CertOut != "" {
		args = append(args, "--"+flagCertOut+"="+o.CertOut)
	}
	if o.HTTP2 {
		args = append(args, "--"+flagHTTP2)
	}
	if o.StallEvery > 0 {
		args = append(args,
			"--"+flagStallEvery+"="+o.StallEvery.String(),
			"--"+flagStallFor+"="+o.StallFor.String())
	}
	return args
}

// Params are the built-in target's parameters as stored with a run
// (runs.variant_params, JSON). Pool and queue appear only for pooled, the
// stall only when on, so a stored row never shows a knob that had no
// effect. The fields are in the order of their JSON names, as the rows of
// older versions (written from a map) hold them.
type Params struct {
	CPUWork      int     `json:"cpu_work"`
	IdleTimeoutS float64 `json:"idle_timeout_s"`
	KeepAlive    bool    `json:"keepalive"`
	PoolSize     int     `json:"pool_size,omitempty"`
	Queue        int     `json:"queue,omitempty"`
	StallEveryS  float64 `json:"stall_every_s,omitempty"`
	StallForS    float64 `json:"stall_for_s,omitempty"`
	Variant      Variant `json:"variant,omitempty"` // none in a plan's settings every cell shares
	TLS          bool    `json:"tls,omitempty"`
	HTTP2        bool    `json:"http2,omitempty"`
}

// Params gives the options as stored with a run.
func (o Options) Params() Params {
	p := Params{Variant: o.Variant, KeepAlive: o.KeepAlive, IdleTimeoutS: o.IdleTimeout.Seconds(), CPUWork: o.CPUWork,
		TLS: o.TLS, HTTP2: o.HTTP2}
	if o.Variant == Pooled {
		p.PoolSize, p.Queue = o.PoolSize, o.Queue
	}
	if o.StallEvery > 0 {
		p.StallEveryS, p.StallForS = o.StallEvery.Seconds(), o.StallFor.Seconds()
	}
	return p
}

// ParseParams decodes stored parameters; "" (an external target, or a
// run imported from another tool) gives the zero Params.
func ParseParams(js string) (Params, error) {
	var p Params
	if js == "" {
		return p, nil
	}
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		return p, fmt.Errorf("variant params %s: %w", js, err)
	}
	return p, nil
}

// Concurrency is how many requests the server handles at once: 1 for
// single, the pool for pooled, 0 when unbounded (goroutine) or unknown.
func (p Params) Concurrency() int {
	switch p.Variant {
	case Single:
		return 1
	case Pooled:
		return p.PoolSize
	}
	return 0
}

// Cores is the CPU, in cores, the server can use: 1 for single (one
// request at a time runs on one core at a time), 0 when it can use the
// whole machine.
func (p Params) Cores() int {
	if p.Variant == Single {
		return 1
	}
	return 0
}

// IsAllInterfaces reports whether addr listens beyond this machine:
// an empty host, 0.0.0.0 or ::.
func IsAllInterfaces(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsUnspecified()
}
