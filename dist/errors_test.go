package dist

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Workers seen ready after their common start get a LateStartError that
// names the margin as a setting, not as a flag.
func TestCommonStartLate(t *testing.T) {
	seen := time.Now().Add(-3 * time.Second)
	all := []Ready{{Worker: 0, Workers: 2, Clock: seen, Test: "t"}, {Worker: 1, Workers: 2, Clock: seen, Test: "t"}}
	_, err := commonStart(all, 2, "t", time.Minute, time.Second)
	var late *LateStartError
	if !errors.As(err, &late) || late.Margin != time.Second || late.Late < 2*time.Second {
		t.Fatalf("commonStart: %v, want a LateStartError of about 2s with a margin of 1s", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "raise the start margin (now 1s)") || strings.Contains(msg, "--") {
		t.Errorf("message %q", msg)
	}
	if _, err := commonStart(all, 2, "t", time.Minute, time.Minute); err != nil {
		t.Errorf("a margin of a minute: %v", err)
	}
}
