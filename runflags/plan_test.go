package runflags

import (
	"io"
	"reflect"
	"testing"

	"github.com/spf13/pflag"
)

// Given and Args: the flags a command line set come back as arguments
// that set them again, the built-in target's left out when asked.
func TestGivenArgsRoundTrip(t *testing.T) {
	tests := []struct {
		args []string
		drop func(string) bool
		want []string
	}{
		{[]string{"--users", "5", "--keepalive=false", "-H", "A: 1", "-H", "B: 2"}, nil,
			[]string{"--header=A: 1", "--header=B: 2", "--keepalive=false", "--users=5"}},
		{[]string{"--variant", "pooled", "--pool-size", "4", "--server-keepalive=false", "--rate", "10"}, BuiltinFlag,
			[]string{"--rate=10"}},
	}
	for _, tt := range tests {
		fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
		fs.SetOutput(io.Discard)
		(&Flags{}).Bind(fs)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		got := Args(Given(fs), tt.drop)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Args(Given(%q)) = %q, want %q", tt.args, got, tt.want)
		}
		again := pflag.NewFlagSet("run", pflag.ContinueOnError)
		(&Flags{}).Bind(again)
		if err := again.Parse(got); err != nil || (tt.drop == nil && !reflect.DeepEqual(Given(again), Given(fs))) {
			t.Errorf("%q does not set the same flags again: %v", got, err)
		}
	}
	for name, want := range map[string]bool{"variant": true, "pool-size": true, "server-keepalive": true, "keepalive": false, "users": false, "url": false} {
		if BuiltinFlag(name) != want {
			t.Errorf("BuiltinFlag(%q) = %v, want %v", name, !want, want)
		}
	}
}
