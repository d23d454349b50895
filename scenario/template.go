package scenario

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Template is text with values in it, compiled once: literal text, and
// {{...}} holding one of
//
//	name             a per-user variable (set by a step or a capture)
//	data.column      the column of the user's current row of a data file
//	user             the user's index (0, 1, ...)
//	randint A B      a random integer from A to B
//	randstr N        N random letters and digits
//	choice a b ...   one of the words at random
//
// Rendering appends to a caller's buffer and allocates nothing.
type Template struct {
	src   string
	parts []part
	json  bool // render values JSON-escaped (inside a JSON string)
}

type partKind uint8

const (
	litPart partKind = iota
	varPart
	dataPart
	userPart
	randintPart
	randstrPart
	choicePart
)

type part struct {
	kind  partKind
	auto  bool // a JSON value of one template: a number as is, anything else quoted
	lit   string
	index int // variable, or data file
	col   int // data column
	a, b  int64
	words []string
}

// Names is how a template finds what it refers to.
type Names struct {
	Vars map[string]int       // variable name → index
	Data map[string]dataNames // data file name → its index and columns
}

type dataNames struct {
	index int
	cols  map[string]int
}

// ParseTemplate compiles s. Unknown variables or data columns are errors.
func ParseTemplate(s string, names *Names) (Template, error) {
	t := Template{src: s}
	rest := s
	for rest != "" {
		i := strings.Index(rest, "{{")
		if i < 0 {
			t.parts = append(t.parts, part{kind: litPart, lit: rest})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, part{kind: litPart, lit: rest[:i]})
		}
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			return t, fmt.Errorf("template %q: {{ without }}", s)
		}
		p, err := parsePart(strings.TrimSpace(rest[i+2:i+2+j]), names)
		if err != nil {
			return t, fmt.Errorf("template %q: %w", s, err)
		}
		t.parts = append(t.parts, p)
		rest = rest[i+2+j+2:]
	}
	return t, nil
}

func parsePart(expr string, names *Names) (part, error) {
	f := strings.Fields(expr)
	if len(f) == 0 {
		return part{}, errors.New("{{}} is empty")
	}
	switch f[0] {
	case "user":
		if len(f) != 1 {
			return part{}, errors.New("user takes no arguments")
		}
		return part{kind: userPart}, nil
	case "randint":
		if len(f) != 3 {
			return part{}, errors.New("randint wants two integers, as {{randint 1 100}}")
		}
		a, err1 := strconv.ParseInt(f[1], 10, 64)
		b, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil || b < a || b-a < 0 {
			return part{}, fmt.Errorf("randint %s %s: want two integers, the first no larger", f[1], f[2])
		}
		return part{kind: randintPart, a: a, b: b}, nil
	case "randstr":
		n, err := strconv.Atoi(strings.Join(f[1:], " "))
		if len(f) != 2 || err != nil || n < 1 || n > 4096 {
			return part{}, errors.New("randstr wants a length from 1 to 4096, as {{randstr 8}}")
		}
		return part{kind: randstrPart, a: int64(n)}, nil
	case "choice":
		if len(f) < 2 {
			return part{}, errors.New("choice wants words to choose from, as {{choice red green}}")
		}
		return part{kind: choicePart, words: f[1:]}, nil
	}
	if len(f) != 1 {
		return part{}, fmt.Errorf("%q: unknown function %q (randint, randstr, choice)", expr, f[0])
	}
	if d, col, ok := strings.Cut(expr, "."); ok {
		dn, known := names.Data[d]
		if !known {
			return part{}, fmt.Errorf("%q: no data file named %q", expr, d)
		}
		c, known := dn.cols[col]
		if !known {
			return part{}, fmt.Errorf("%q: data %s has no column %q", expr, d, col)
		}
		return part{kind: dataPart, index: dn.index, col: c}, nil
	}
	v, ok := names.Vars[expr]
	if !ok {
		return part{}, fmt.Errorf("variable %q is never set (by a set step or a capture)", expr)
	}
	return part{kind: varPart, index: v}, nil
}

// String is the template as written.
func (t Template) String() string { return t.src }

// Empty reports a template with nothing in it.
func (t Template) Empty() bool { return len(t.parts) == 0 }

// Constant reports a template of literal text only.
func (t Template) Constant() bool {
	for _, p := range t.parts {
		if p.kind != litPart {
			return false
		}
	}
	return true
}

// usesData tells which data files the template reads.
func (t Template) usesData(out map[int]bool) {
	for _, p := range t.parts {
		if p.kind == dataPart {
			out[p.index] = true
		}
	}
}

// State is one user's values: its index, its variables, its current data
// rows, its random numbers.
type State struct {
	User int
	Vars []string
	Rows [][]string // by data file; nil until a row is taken
	Rand *rand.Rand
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// Append renders the template for st after dst.
func (t Template) Append(dst []byte, st *State) []byte {
	for _, p := range t.parts {
		if p.auto {
			dst = t.appendAuto(dst, p, st)
			continue
		}
		switch p.kind {
		case litPart:
			dst = append(dst, p.lit...)
		case varPart:
			dst = t.value(dst, st.Vars[p.index])
		case dataPart:
			if row := st.Rows[p.index]; p.col < len(row) {
				dst = t.value(dst, row[p.col])
			}
		case userPart:
			dst = strconv.AppendInt(dst, int64(st.User), 10)
		case randintPart:
			dst = strconv.AppendInt(dst, p.a+int64(st.Rand.Uint64N(uint64(p.b-p.a)+1)), 10)
		case randstrPart:
			for range p.a {
				dst = append(dst, alnum[st.Rand.IntN(len(alnum))])
			}
		case choicePart:
			dst = t.value(dst, p.words[st.Rand.IntN(len(p.words))])
		}
	}
	return dst
}

// appendAuto appends a JSON value of one template: as is when it reads as
// a JSON number, else as a JSON string.
func (t Template) appendAuto(dst []byte, p part, st *State) []byte {
	one := Template{parts: []part{{kind: p.kind, lit: p.lit, index: p.index, col: p.col, a: p.a, b: p.b, words: p.words}}}
	start := len(dst)
	dst = one.Append(dst, st)
	if jsonNumber(dst[start:]) {
		return dst
	}
	v := string(dst[start:])
	dst = append(dst[:start], '"')
	dst = t.value(dst, v)
	return append(dst, '"')
}

// jsonNumber reports a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b) && len(b) > 0
}

// value appends a value, JSON-escaped inside a JSON string.
func (t Template) value(dst []byte, v string) []byte {
	if !t.json {
		return append(dst, v...)
	}
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, fmt.Sprintf(`\u%04x`, c)...)
		case c < utf8.RuneSelf:
			dst = append(dst, c)
		default:
			r, n := utf8.DecodeRuneInString(v[i:])
			if r == utf8.RuneError && n == 1 {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, v[i:i+n]...)
			}
			i += n
			continue
		}
		i++
	}
	return dst
}
