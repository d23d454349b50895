package input

import (
	"errors"
	"fmt"
)

// Error says that the value of one field is bad.
type Error struct {
	Field string // the spec's name of the field, such as "spawn-rate"
	Err   error  // what is wrong with it, such as `must be above zero, got 0`
}

// Errorf makes an *Error for field with a formatted message (%w wraps).
func Errorf(field, format string, a ...any) error {
	return &Error{Field: field, Err: fmt.Errorf(format, a...)}
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
