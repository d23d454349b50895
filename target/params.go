package target

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// intParam reads query parameter name as an integer in [lo, hi], or def
// when absent.
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s=%q: want an integer from %d to %d", name, s, lo, hi)
	}
	return n, nil
}

// durationParam reads query parameter name as a Go duration ("1s",
// "250ms") or a bare number of milliseconds, in [0, hi], or def when absent.
func durationParam(r *http.Request, name string, def, hi time.Duration) (time.Duration, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		ms, aerr := strconv.Atoi(s)
		d, err = time.Duration(ms)*time.Millisecond, aerr
	}
	if err != nil || d < 0 || d > hi {
		return 0, fmt.Errorf("%s=%q: want a duration from 0 to %v, such as 500ms", name, s, hi)
	}
	return d, nil
}

func badRequest(err error) (int, []byte) {
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	return http.StatusBadRequest, append(b, '\n')
}
