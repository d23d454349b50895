package lab

import (
	"errors"
	"os"

	"exp/input"
	"exp/store"
)

// IsBadInput reports whether err is the user's input at fault, not the
// tool or the machine: a bad value of a field (*input.Error), a name that
// is not there or is taken, a file that is not an exp database or cannot
// be opened. The CLI exits 2 on it; a web front end answers 4xx.
func IsBadInput(err error) bool {
	if _, ok := input.As(err); ok {
		return true
	}
	for _, e := range []error{store.ErrNotExpDB, store.ErrNewerSchema, store.ErrNoDatabase, store.ErrNotFound, store.ErrNameTaken} {
		if errors.Is(err, e) {
			return true
		}
	}
	var pe *os.PathError
	return errors.As(err, &pe)
}
