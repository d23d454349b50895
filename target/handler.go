package target

import (
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// DefaultCPUWork is the /cpu iteration count that takes about 10 ms on one
// core of the development machine; doc.go tells how it was measured.
const DefaultCPUWork = 5_000_000

// maxMemHeldMB bounds the memory all /mem requests hold together.
const maxMemHeldMB = 2048

// Pre-encoded answers, so the hot paths allocate nothing of their own.
var (
	healthBody  = []byte(`{"status":"ok"}` + "\n")
	busyBody    = []byte(`{"error":"queue full"}` + "\n")
	notFound    = []byte(`{"error":"not found; endpoints: /health /io /cpu /mem; the demo shop: / /api/login /api/products /api/cart"}` + "\n")
	badMethod   = []byte(`{"error":"method not allowed (see the Allow header)"}` + "\n")
	memFullBody = []byte(`{"error":"memory budget of /mem exhausted"}` + "\n")
	contentJSON = []string{"application/json"}
	allowGET    = []string{"GET, HEAD"}
)

// endpoint computes a response; the handler writes it once any stall
// window has passed.
type endpoint func(h *handler, r *http.Request) (status int, body []byte)

// handler serves the endpoints through the variant's limiter.
type handler struct {
	limit   limiter
	stall   stallClock
	cpuWork int
	memMB   atomic.Int64 // held by /mem right now
}

// NewHandler returns the target's endpoints behind opts' variant, with the
// stall clock starting now. opts must pass Validate; NewHandler panics
// otherwise, as a programming error (the CLI validates user input first).
func NewHandler(opts Options) http.Handler {
	if err := opts.Validate(); err != nil {
		panic("target.NewHandler: " + err.Error())
	}
	return &handler{
		limit:   newLimiter(opts),
		stall:   stallClock{start: time.Now(), every: opts.StallEvery, dur: opts.StallFor},
		cpuWork: opts.CPUWork,
	}
}

func route(path string) endpoint {
	switch path {
	case "/health":
		return (*handler).health
	case "/io":
		return (*handler).io
	case "/cpu":
		return (*handler).cpu
	case "/mem":
		return (*handler).mem
	}
	return shopRoute(path)
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ep := route(r.URL.Path)
	switch {
	case ep == nil:
		write(w, http.StatusNotFound, notFound)
		return
	case !methodAllowed(r):
		w.Header()["Allow"] = []string{allowOf(r.URL.Path)}
		write(w, http.StatusMethodNotAllowed, badMethod)
		return
	}
	ctx := r.Context()
	if !h.stall.wait(ctx) {
		return
	}
	if err := h.limit.acquire(ctx); err != nil {
		if err == errBusy {
			write(w, http.StatusServiceUnavailable, busyBody)
		}
		return // otherwise the client has gone
	}
	defer h.limit.release()
	status, body := ep(h, r)
	if !h.stall.wait(ctx) {
		return
	}
	if status == http.StatusOK && r.URL.Path == "/api/login" {
		setSession(w, body)
	}
	write(w, status, body)
}

func methodAllowed(r *http.Request) bool {
	if shopMethod(r.URL.Path) == http.MethodPost && shopRoute(r.URL.Path) != nil {
		return r.Method == http.MethodPost
	}
	return r.Method == http.MethodGet || r.Method == http.MethodHead
}

func allowOf(path string) string {
	if shopMethod(path) == http.MethodPost && shopRoute(path) != nil {
		return http.MethodPost
	}
	return allowGET[0]
}

func write(w http.ResponseWriter, status int, body []byte) {
	w.Header()["Content-Type"] = contentJSON
	w.WriteHeader(status)
	_, _ = w.Write(body) // a write error means the client left
}

func (h *handler) health(*http.Request) (int, []byte) {
	return http.StatusOK, healthBody
}

// io sleeps ?ms= milliseconds (default 200), like a handler waiting on a
// database or another service.
func (h *handler) io(r *http.Request) (int, []byte) {
	ms, err := intParam(r, "ms", 200, 0, MaxIOMillis)
	if err != nil {
		return badRequest(err)
	}
	if !sleepCtx(r.Context(), time.Duration(ms)*time.Millisecond) {
		return http.StatusServiceUnavailable, nil // client gone; nobody reads this
	}
	return http.StatusOK, fmt.Appendf(nil, `{"slept_ms":%d}`+"\n", ms)
}

// cpu runs ?work= iterations of cpuWork and returns the result, so the
// loop cannot be optimised away and every answer can be checked.
func (h *handler) cpu(r *http.Request) (int, []byte) {
	n, err := intParam(r, "work", h.cpuWork, 0, MaxCPUFactor*DefaultCPUWork)
	if err != nil {
		return badRequest(err)
	}
	x := cpuWork(n)
	return http.StatusOK, fmt.Appendf(nil, `{"work":%d,"result":%d}`+"\n", n, x)
}

// cpuWork is a xorshift64 loop: each step depends on the last, so it runs
// serially on one core at a steady pace, and its result is deterministic.
func cpuWork(n int) uint64 {
	x := uint64(0x9E3779B97F4A7C15)
	for i := 0; i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// mem allocates ?mb= MB (default 64), touches every page so it is really
// resident, holds it for ?hold= (default 1s), then frees it and returns it
// to the OS, so a monitor sees RSS rise and fall.
func (h *handler) mem(r *http.Request) (int, []byte) {
	mb, err := intParam(r, "mb", 64, 0, MaxMemMB)
	if err != nil {
		return badRequest(err)
	}
	hold, err := durationParam(r, "hold", time.Second, MaxMemHold)
	if err != nil {
		return badRequest(err)
	}
	if h.memMB.Add(int64(mb)) > maxMemHeldMB {
		h.memMB.Add(-int64(mb))
		return http.StatusServiceUnavailable, memFullBody
	}
	buf := make([]byte, mb<<20)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1
	}
	ok := sleepCtx(r.Context(), hold)
	runtime.KeepAlive(buf) // buf is garbage from here on
	h.memMB.Add(-int64(mb))
	debug.FreeOSMemory()
	if !ok {
		return http.StatusServiceUnavailable, nil
	}
	return http.StatusOK, fmt.Appendf(nil, `{"mb":%d,"held_ms":%d}`+"\n", mb, hold.Milliseconds())
}
