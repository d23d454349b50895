package report

import "io"

// ErrWriter keeps the first error of a run of writes and writes nothing
// after it, so that a printer checks one error at its end instead of
// every Fprintf's.
type ErrWriter struct {
	W   io.Writer
	Err error
}

func (e *ErrWriter) Write(p []byte) (int, error) {
	if e.Err != nil {
		return 0, e.Err
	}
	n, err := e.W.Write(p)
	e.Err = err
	return n, err
}
