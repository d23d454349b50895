package input

import (
	"errors"
	"fmt"
	"testing"
)

func TestError(t *testing.T) {
	base := errors.New("boom")
	err := fmt.Errorf("plan cell 2: %w", Errorf("users", "must be at least 1, got %d: %w", 0, base))
	e, ok := As(err)
	if !ok || e.Field != "users" || !errors.Is(err, base) {
		t.Fatalf("As(%v) = %+v, %v", err, e, ok)
	}
	if got, want := err.Error(), "plan cell 2: users must be at least 1, got 0: boom"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if Wrap("x", nil) != nil {
		t.Error("Wrap of nil should be nil")
	}
	if w := Wrap("tasks", err); w != err {
		t.Errorf("Wrap of an input error changed it: %v", w)
	}
	if e, _ := As(Wrap("tasks", base)); e.Field != "tasks" {
		t.Errorf("Wrap: field %q", e.Field)
	}
	if _, ok := As(base); ok {
		t.Error("a plain error is not an input error")
	}
}
