package target

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// The demo shop: a login whose token (or session cookie) every other shop
// endpoint requires, products, a cart taking a JSON body. It is what a
// scenario or a locustfile with a login flow needs to be tried against
// (the README's shop example, shop_locustfile.py), and it answers through
// the variant's limiter like the other endpoints.
//
//	POST /api/login    {"user":..., "password":...} → {"token":...}, and a session cookie
//	GET  /api/products?page=N, GET /api/products/{id}   (token or cookie; 401 without)
//	POST /api/cart     {"product":N,"qty":N}          (token or cookie; 400 for another body)
//	GET  /             a home page

var (
	unauthorized = []byte(`{"error":"login first: Authorization: Bearer <token> or the session cookie"}` + "\n")
	homeBody     = []byte(`{"shop":"exp demo shop"}` + "\n")
	listBody     = []byte(`{"products":[{"id":1,"name":"teapot"},{"id":2,"name":"kettle"}]}` + "\n")
	cartOK       = []byte(`{"ok":true}` + "\n")
)

// shopToken is the token of a user: deterministic, so any process of the
// target accepts it, and not guessable from the user name alone.
func shopToken(user string) string {
	sum := sha256.Sum256([]byte("exp-shop:" + user))
	return hex.EncodeToString(sum[:8])
}

func shopRoute(path string) endpoint {
	switch {
	case path == "/":
		return func(*handler, *http.Request) (int, []byte) { return http.StatusOK, homeBody }
	case path == "/api/login":
		return (*handler).login
	case path == "/api/products", strings.HasPrefix(path, "/api/products/"):
		return (*handler).products
	case path == "/api/cart":
		return (*handler).cart
	}
	return nil
}

// shopMethod is the method a shop path takes.
func shopMethod(path string) string {
	if path == "/api/login" || path == "/api/cart" {
		return http.MethodPost
	}
	return http.MethodGet
}

func (h *handler) login(r *http.Request) (int, []byte) {
	var in struct{ User, Password string }
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil || in.User == "" || in.Password == "" {
		return http.StatusBadRequest, []byte(`{"error":"want {\"user\":...,\"password\":...}"}` + "\n")
	}
	return http.StatusOK, fmt.Appendf(nil, `{"token":%q,"user":%q}`+"\n", shopToken(in.User), in.User)
}

// setSession gives the logged-in client the session cookie too, for
// scenarios that keep a cookie jar instead of a token.
func setSession(w http.ResponseWriter, loginBody []byte) {
	var out struct{ Token string }
	if json.Unmarshal(loginBody, &out) == nil {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: out.Token, Path: "/", HttpOnly: true})
	}
}

// authorized reports whether r carries a token or session of any user.
func authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		if c, err := r.Cookie("session"); err == nil {
			tok = c.Value
		}
	}
	return len(tok) == 16 && strings.Trim(tok, "0123456789abcdef") == ""
}

func (h *handler) products(r *http.Request) (int, []byte) {
	if !authorized(r) {
		return http.StatusUnauthorized, unauthorized
	}
	id, ok := strings.CutPrefix(r.URL.Path, "/api/products/")
	if !ok {
		return http.StatusOK, listBody
	}
	n, err := strconv.Atoi(id)
	if err != nil || n < 1 {
		return http.StatusNotFound, []byte(`{"error":"no such product"}` + "\n")
	}
	return http.StatusOK, fmt.Appendf(nil, `{"id":%d,"name":"product %d"}`+"\n", n, n)
}

func (h *handler) cart(r *http.Request) (int, []byte) {
	if !authorized(r) {
		return http.StatusUnauthorized, unauthorized
	}
	var in struct {
		Product *int `json:"product"`
		Qty     *int `json:"qty"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil || in.Product == nil || in.Qty == nil || *in.Qty < 1 {
		return http.StatusBadRequest, []byte(`{"error":"want {\"product\":N,\"qty\":N}"}` + "\n")
	}
	return http.StatusOK, cartOK
}
