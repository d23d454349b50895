package ui

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"exp/store"
)

//go:embed assets
var assets embed.FS

// Config is what the web UI serves and how.
type Config struct {
	DB      *store.DB
	Addr    string // host:port it listens on; non-loopback needs Token
	Token   string // when set, every request must carry it
	Version string
	Exe     string // the exp binary whose `exp serve` is the built-in target ("": this one)
	// Plans is where plans started here write their reports (each in a
	// directory of its name); "" is ./plans, as exp plan's.
	Plans string
	// AllowRemoteTargets lets the form load a URL that is not loopback.
	AllowRemoteTargets bool
}

// Server is the web UI: the page, its JSON and SSE endpoints, and the
// runs it started (which go on when a browser closes, and stop with it).
type Server struct {
	cfg  Config
	csrf string
	mux  *http.ServeMux

	mu     sync.Mutex
	active map[string]*activeRun  // runs started here, by name
	plans  map[string]*activePlan // plans started here, by name
	wg     sync.WaitGroup
}

// ErrNeedsToken: a non-loopback address (Config.Addr) without a token
// (Config.Token).
var ErrNeedsToken = errors.New("a non-loopback address needs a token: anyone who reaches it could start load tests")

// NewServer checks cfg and builds the server.
func NewServer(cfg Config) (*Server, error) {
	if !loopbackAddr(cfg.Addr) && cfg.Token == "" {
		return nil, ErrNeedsToken
	}
	s := &Server{cfg: cfg, csrf: randomToken(), mux: http.NewServeMux(), active: map[string]*activeRun{},
		plans: map[string]*activePlan{}}
	s.routes()
	return s, nil
}

// NewToken is a random token for --token.
func NewToken() string { return randomToken() }

func randomToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on the platforms Go supports
	}
	return hex.EncodeToString(b)
}

func (s *Server) routes() {
	sub, _ := fs.Sub(assets, "assets")
	s.mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(sub)))
	s.mux.HandleFunc("GET /{$}", s.index)
	s.mux.HandleFunc("GET /api/form", s.form)
	s.mux.HandleFunc("GET /api/runs", s.listRuns)
	s.mux.HandleFunc("POST /api/runs", s.startRun)
	s.mux.HandleFunc("GET /api/runs/{name}", s.runDetail)
	s.mux.HandleFunc("GET /api/runs/{name}/live", s.live)
	s.mux.HandleFunc("POST /api/runs/{name}/stop", s.stopRun)
	s.mux.HandleFunc("POST /api/runs/{name}/load", s.changeLoad)
	s.mux.HandleFunc("GET /api/runs/{name}/export.csv", s.exportCSV)
	s.mux.HandleFunc("GET /api/runs/{name}/export.json", s.exportJSON)
	s.mux.HandleFunc("GET /api/runs/{name}/plots/{file}", s.runPlot)
	s.mux.HandleFunc("GET /api/compare", s.compare)
	s.mux.HandleFunc("GET /api/compare/plots/{file}", s.comparePlot)
	s.mux.HandleFunc("GET /api/plans/{name}", s.planReport)
	s.mux.HandleFunc("POST /api/plans", s.startPlan)
	s.mux.HandleFunc("GET /api/plans/{name}/info", s.planInfo)
	s.mux.HandleFunc("POST /api/plans/{name}/stop", s.stopPlan)
}

// Handler is the UI with its guards: the token, the host, and for
// requests that change state the CSRF token and a same-origin Origin.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r) {
			writeError(w, http.StatusForbidden, "", "the Host header is not this server's (DNS rebinding?)")
			return
		}
		if s.cfg.Token != "" && !s.tokenOK(w, r) {
			writeError(w, http.StatusUnauthorized, "", "this exp ui needs its token: open it with ?token=TOKEN")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host && o != "https://"+r.Host {
				writeError(w, http.StatusForbidden, "", "cross-origin request refused")
				return
			}
			if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-CSRF-Token")), []byte(s.csrf)) != 1 {
				writeError(w, http.StatusForbidden, "", "missing or wrong CSRF token: reload the page")
				return
			}
		}
		s.mux.ServeHTTP(w, r)
	})
}

// tokenOK checks the token: a cookie set by a first visit with ?token=,
// or an Authorization: Bearer header.
func (s *Server) tokenOK(w http.ResponseWriter, r *http.Request) bool {
	want := []byte(s.cfg.Token)
	if q := r.URL.Query().Get("token"); q != "" && subtle.ConstantTimeCompare([]byte(q), want) == 1 {
		http.SetCookie(w, &http.Cookie{Name: "exp_token", Value: q, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		return true
	}
	if c, err := r.Cookie("exp_token"); err == nil && subtle.ConstantTimeCompare([]byte(c.Value), want) == 1 {
		return true
	}
	b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(b), want) == 1
}

// hostAllowed: on loopback, only loopback host names (a page of another
// site that rebinds its name to 127.0.0.1 is refused).
func (s *Server) hostAllowed(r *http.Request) bool {
	if !loopbackAddr(s.cfg.Addr) {
		return true // reached by its own name; the token guards it
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	return host == "localhost" || loopbackHost(host)
}

func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	return host == "localhost" || loopbackHost(host)
}

func loopbackHost(h string) bool {
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("assets/index.html")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(strings.ReplaceAll(string(b), "{{CSRF}}", s.csrf)))
}

// Serve answers on ln until ctx ends, then stops the runs started here
// (kept as aborted) and returns nil; an error only if serving failed.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	stop := context.AfterFunc(ctx, func() { hs.Close() }) // live streams end too
	defer stop()
	err := hs.Serve(ln)
	s.Close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops the runs started here (as an interrupt does) and waits
// for them to be stored.
func (s *Server) Close() {
	s.mu.Lock()
	for _, a := range s.active {
		a.cancel()
	}
	for _, p := range s.plans {
		p.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

type apiError struct {
	Error string `json:"error"`
	Field string `json:"field"`
}

func writeError(w http.ResponseWriter, code int, field, msg string) {
	writeJSON(w, code, apiError{Error: msg, Field: field})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(w, `{"error":%q}`, err.Error())
	}
}

// bg is the context runs started here live in: not a request's.
var bg = context.Background()
