package input

import (
	"errors"
	"fmt"
)

// Error says that the value of one field is bad.
type Error struct {
	Field string // the spec's name of the field, such as "spawn-rate"
	Err   error  // what is wrong with it, such as `must be above zero, got 0`
	// The message's format and arguments (Errorf's), for Text.
	format string
	args   []any
}

// Name is another field a message names, as an argument of Errorf
// (`%v needs its key`, input.Name("client-cert")): the message reads it
// by its spec name, and a front end spells it its own way through Text.
type Name string

// Errorf makes an *Error for field with a formatted message (%w wraps).
// Other fields it names are given as Name arguments.
func Errorf(field, format string, a ...any) error {
	return &Error{Field: field, Err: fmt.Errorf(format, a...), format: format, args: a}
}

// Text is the message without the field, each Name in it spelled by
// spell: the CLI writes input.Name("http2") as "--http2". It is Err's text
// for an *Error made by Wrap.
func (e *Error) Text(spell func(field string) string) string {
	if e.format == "" {
		return e.Err.Error()
	}
	args := make([]any, len(e.args))
	for i, a := range e.args {
		if n, ok := a.(Name); ok {
			a = spell(string(n))
		}
		args[i] = a
	}
	return fmt.Errorf(e.format, args...).Error()
}

// Wrap makes err an *Error for field; nil stays nil, and an error that
// holds an *Error already is returned as it is.
func Wrap(field string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Field: field, Err: err}
}

// Error gives the field and the message: "spawn-rate must be above zero, got 0".
func (e *Error) Error() string { return e.Field + " " + e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

// As finds the *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
