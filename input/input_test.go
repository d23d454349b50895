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

// Other fields a message names read by their spec name, and by a front
// end's spelling through Text; %w still wraps.
func TestName(t *testing.T) {
	base := errors.New("boom")
	err := Errorf("client-key", "is missing: %v needs its key (%v): %w", Name("client-cert"), "x.pem", base)
	e, _ := As(err)
	if got, want := err.Error(), "client-key is missing: client-cert needs its key (x.pem): boom"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	flag := func(f string) string { return "--" + f }
	if got, want := e.Text(flag), "is missing: --client-cert needs its key (x.pem): boom"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if !errors.Is(err, base) {
		t.Error("the error does not wrap its cause")
	}
	w, _ := As(Wrap("tasks", base))
	if got := w.Text(flag); got != "boom" {
		t.Errorf("Text of a wrapped error = %q", got)
	}
}
