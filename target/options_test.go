package target

import (
	"encoding/json"
	"exp/input"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Options)
		err  string // substring of the error as the CLI prints it (its field as a flag); "" means valid
	}{
		{"defaults", func(*Options) {}, ""},
		{"each variant", func(o *Options) { o.Variant = Single }, ""},
		{"unknown variant", func(o *Options) { o.Variant = "threaded" }, `--variant unknown variant "threaded" (known: single, pooled, goroutine)`},
		{"empty variant", func(o *Options) { o.Variant = "" }, "--variant"},
		{"pool size 0", func(o *Options) { o.PoolSize = 0 }, "--pool-size must be at least 1, got 0"},
		{"queue 0 is fine", func(o *Options) { o.Queue = 0 }, ""},
		{"negative queue", func(o *Options) { o.Queue = -1 }, "--queue"},
		{"negative idle timeout", func(o *Options) { o.IdleTimeout = -time.Second }, "--idle-timeout"},
		{"address without port", func(o *Options) { o.Addr = "127.0.0.1" }, "--addr"},
		{"all interfaces is allowed", func(o *Options) { o.Addr = ":8080" }, ""},
		{"cpu work 0", func(o *Options) { o.CPUWork = 0 }, "--cpu-work"},
		{"stall", func(o *Options) { o.StallEvery, o.StallFor = time.Second, 100*time.Millisecond }, ""},
		{"stall without for", func(o *Options) { o.StallEvery = time.Second }, "--stall-every 1s needs a stall-for"},
		{"stall for without every", func(o *Options) { o.StallFor = time.Second }, "--stall-for 1s needs a stall-every"},
		{"stall longer than period", func(o *Options) { o.StallEvery, o.StallFor = time.Second, time.Second }, "--stall-for 1s must be shorter than stall-every"},
		{"negative stall", func(o *Options) { o.StallEvery = -time.Second }, "--stall-every"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultOptions()
			tt.edit(&o)
			err := o.Validate()
			var printed string
			if e, ok := input.As(err); ok {
				printed = "--" + e.Field + " " + e.Err.Error()
			}
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.err != "" && err == nil:
				t.Errorf("no error, want %q", tt.err)
			case tt.err != "" && !strings.Contains(printed, tt.err):
				t.Errorf("error %q (printed %q), want an input error containing %q", err, printed, tt.err)
			}
		})
	}
}

// TestArgsRoundTrip parses Args with BindFlags' flags, as `exp serve`
// does, and expects the same options back.
func TestArgsRoundTrip(t *testing.T) {
	stall := DefaultOptions()
	stall.Variant, stall.StallEvery, stall.StallFor = Single, 2*time.Second, 250*time.Millisecond
	pooled := DefaultOptions()
	pooled.Variant, pooled.PoolSize, pooled.Queue, pooled.KeepAlive = Pooled, 3, 0, false
	pooled.IdleTimeout, pooled.Addr, pooled.CPUWork = 1500*time.Millisecond, "[::1]:0", 77
	for _, want := range []Options{DefaultOptions(), stall, pooled} {
		var got Options
		fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
		got.BindFlags(fs)
		if err := fs.Parse(want.Args()); err != nil {
			t.Fatalf("parse %q: %v", want.Args(), err)
		}
		if got != want {
			t.Errorf("args %q gave\n%+v, want\n%+v", want.Args(), got, want)
		}
	}
}

func TestVariantFlagRejectsUnknown(t *testing.T) {
	o := DefaultOptions()
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	o.BindFlags(fs)
	err := fs.Parse([]string{"--variant", "flask"})
	if err == nil || !strings.Contains(err.Error(), "known: single, pooled, goroutine") {
		t.Errorf("error %v, want the known variants listed", err)
	}
}

func TestParams(t *testing.T) {
	pooled := DefaultOptions()
	pooled.Variant, pooled.PoolSize, pooled.Queue = Pooled, 8, 16
	stall := DefaultOptions()
	stall.Variant, stall.StallEvery, stall.StallFor = Single, 10*time.Second, time.Second
	tests := []struct {
		opts Options
		want string
	}{
		{pooled, `{"cpu_work":5000000,"idle_timeout_s":60,"keepalive":true,"pool_size":8,"queue":16,"variant":"pooled"}`},
		{stall, `{"cpu_work":5000000,"idle_timeout_s":60,"keepalive":true,"stall_every_s":10,"stall_for_s":1,"variant":"single"}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.opts.Params())
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("params %s, want %s", b, tt.want)
		}
	}
}

func TestIsAllInterfaces(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1:0": false, "localhost:80": false, "[::1]:0": false, "192.0.2.1:80": false,
		":8080": true, "0.0.0.0:80": true, "[::]:80": true, "nonsense": false,
	}
	for addr, want := range tests {
		if got := IsAllInterfaces(addr); got != want {
			t.Errorf("IsAllInterfaces(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestDefaultOptionsShape(t *testing.T) {
	o := DefaultOptions()
	want := Options{Variant: Goroutine, PoolSize: o.PoolSize, Queue: 128, KeepAlive: true,
		IdleTimeout: time.Minute, Addr: "127.0.0.1:0", CPUWork: DefaultCPUWork}
	if !reflect.DeepEqual(o, want) || o.PoolSize < 4 || o.PoolSize%4 != 0 {
		t.Errorf("DefaultOptions() = %+v", o)
	}
}
