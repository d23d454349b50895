package target

import (
	"bytes"
	"strings"
	"sync"
)

// tailSize is how much of a child's output is kept for error messages.
const tailSize = 8 << 10

// tail keeps the last tailSize bytes written to it. A child's output must
// be drained or the child blocks on a full pipe; keeping only the end
// bounds memory however chatty the target is.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func newTail() *tail { return &tail{buf: make([]byte, 0, tailSize)} }

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if n >= tailSize {
		t.buf = append(t.buf[:0], p[n-tailSize:]...)
		return n, nil
	}
	if over := len(t.buf) + n - tailSize; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	t.buf = append(t.buf, p...)
	return n, nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// lastLine is the last non-blank line written, trimmed.
func (t *tail) lastLine() string {
	s := strings.TrimSpace(t.String())
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}

// firstLine hands the first line written to it on line (once) and passes
// everything after it to rest: Start reads the child's address this way
// while its stdout keeps draining.
type firstLine struct {
	mu   sync.Mutex
	buf  []byte
	done bool
	line chan string // buffered, 1
	rest *tail
}

func (f *firstLine) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done {
		return f.rest.Write(p)
	}
	i := bytes.IndexByte(p, '\n')
	if i < 0 && len(f.buf)+len(p) < tailSize {
		f.buf = append(f.buf, p...)
		return len(p), nil
	}
	if i < 0 {
		i = len(p) - 1 // an absurdly long first line: cut it here
	}
	f.buf = append(f.buf, p[:i]...)
	f.done = true
	f.line <- strings.TrimRight(string(f.buf), "\r")
	_, _ = f.rest.Write(p[i+1:])
	return len(p), nil
}
