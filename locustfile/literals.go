package locustfile

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// numLit is a number literal. An integer that does not fit in int64 is
// kept as overflow so that the reader can refuse it where it is used
// (Python's ints have no limit, JSON's int64 here has).
type numLit struct {
	text     string
	isInt    bool
	i        int64
	f        float64
	overflow bool
}

// strLit is a decoded string literal: text, and for an f-string the
// {name} and {self.name} fields between the text.
type strLit struct {
	parts []strPart
	f     bool
}

type strPart struct {
	lit   string // the text, when !isVar
	isVar bool
	self  bool // {self.name} rather than {name}
	name  string
	line  int
}

func (l *lexer) number() error {
	start, line := l.pos, l.line
	s := l.src
	isInt := true
	if s[l.pos] == '0' && l.pos+1 < len(s) && strings.IndexByte("xXoObB", s[l.pos+1]) >= 0 {
		l.pos += 2
		l.digits(true)
	} else {
		l.digits(false)
		if l.pos < len(s) && s[l.pos] == '.' {
			isInt = false
			l.pos++
			l.digits(false)
		}
		if l.exponent() {
			isInt = false
		}
		if l.pos < len(s) && (s[l.pos] == 'j' || s[l.pos] == 'J') {
			return l.r.unsupported(line, "a complex number", "numbers are integers or floats")
		}
	}
	text := s[start:l.pos]
	if c, _ := utf8.DecodeRuneInString(s[l.pos:]); l.pos < len(s) && isIdentChar(c) {
		return l.r.syntax(line, "invalid number literal %q", text+string(c))
	}
	n, err := parseNumber(text, isInt)
	if err != nil {
		return l.r.syntax(line, "invalid number literal %q", text)
	}
	l.toks = append(l.toks, token{kind: tNumber, text: text, line: line, num: n})
	return nil
}

func (l *lexer) digits(hex bool) {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if !isDigit(c) && c != '_' && !(hex && strings.IndexByte("abcdefABCDEF", c) >= 0) {
			return
		}
		l.pos++
	}
}

// exponent reads an e+NN part if there is one.
func (l *lexer) exponent() bool {
	s, p := l.src, l.pos
	if p >= len(s) || (s[p] != 'e' && s[p] != 'E') {
		return false
	}
	p++
	if p < len(s) && (s[p] == '+' || s[p] == '-') {
		p++
	}
	if p >= len(s) || !isDigit(s[p]) {
		return false
	}
	l.pos = p
	l.digits(false)
	return true
}

func parseNumber(text string, isInt bool) (numLit, error) {
	n := numLit{text: text, isInt: isInt}
	if !isInt {
		f, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
		if errors.Is(err, strconv.ErrRange) {
			n.overflow = true
			return n, nil
		}
		n.f = f
		return n, err
	}
	// Python refuses 0123 (Go would read it as octal).
	if len(text) > 1 && text[0] == '0' && isDigit(text[1]) && strings.Trim(text, "0_") != "" {
		return n, errors.New("leading zeros")
	}
	i, err := strconv.ParseInt(text, 0, 64)
	if errors.Is(err, strconv.ErrRange) {
		n.overflow = true
		return n, nil
	}
	n.i = i
	return n, err
}

// decodeString turns a literal's body (between the quotes) into text and,
// for an f-string, fields. line is the line of the opening quote.
func decodeString(body string, raw, isF bool, line int, r reporter) (strLit, error) {
	if !isF {
		s, err := unescape(body, raw, line, r)
		return strLit{parts: []strPart{{lit: s, line: line}}}, err
	}
	lit := strLit{f: true}
	var text strings.Builder
	flush := func(at int) error {
		if text.Len() == 0 {
			return nil
		}
		s, err := unescape(text.String(), raw, at, r)
		lit.parts = append(lit.parts, strPart{lit: s, line: at})
		text.Reset()
		return err
	}
	textLine, at := line, line // at is the line of body[i], counted as i moves
	for i := 0; i < len(body); {
		switch c := body[i]; {
		case (c == '{' || c == '}') && strings.HasPrefix(body[i:], string([]byte{c, c})):
			text.WriteByte(c)
			i += 2
		case c == '}':
			return lit, r.syntax(at, "f-string: single '}' is not allowed")
		case c == '{':
			end := strings.IndexByte(body[i+1:], '}')
			if end < 0 {
				return lit, r.syntax(at, "f-string: expecting '}'")
			}
			if err := flush(textLine); err != nil {
				return lit, err
			}
			part, err := fieldPart(body[i+1:i+1+end], at, r)
			if err != nil {
				return lit, err
			}
			lit.parts = append(lit.parts, part)
			at += strings.Count(body[i:i+end+2], "\n")
			i += end + 2
			textLine = at
		default:
			if c == '\n' {
				at++
			}
			text.WriteByte(c)
			i++
		}
	}
	return lit, flush(textLine)
}

// fieldPart reads the inside of an f-string's {...}: only a name or
// self.name, since those are what a template can hold.
func fieldPart(inner string, line int, r reporter) (strPart, error) {
	s := strings.TrimSpace(inner)
	switch {
	case s == "":
		return strPart{}, r.syntax(line, "f-string: empty expression not allowed")
	case isIdent(s):
		return strPart{isVar: true, name: s, line: line}, nil
	case strings.HasPrefix(s, "self.") && isIdent(s[len("self."):]):
		return strPart{isVar: true, self: true, name: s[len("self."):], line: line}, nil
	case strings.ContainsAny(s, "!:="):
		return strPart{}, r.unsupported(line, "a conversion or format spec in the f-string field {"+clip(s)+"}",
			"write {name} alone: exp puts the variable's text there")
	}
	return strPart{}, r.unsupported(line, "the f-string field {"+clip(s)+"}",
		"an f-string field is {name} or {self.name}; compute other values in a variable first")
}

func isIdent(s string) bool {
	for i, c := range s {
		if !isIdentChar(c) || i == 0 && !isIdentStart(c) {
			return false
		}
	}
	return s != "" && !keywords[s]
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}

// simpleEscapes are Python's one-letter escapes.
var simpleEscapes = map[byte]string{'\\': `\`, '\'': "'", '"': `"`, 'a': "\a", 'b': "\b",
	'f': "\f", 'n': "\n", 'r': "\r", 't': "\t", 'v': "\v", '\n': ""}

// unescape applies Python's escapes to a non-raw literal's text; an
// unknown escape keeps its backslash, as in Python.
func unescape(s string, raw bool, line int, r reporter) (string, error) {
	if raw || !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	at := line // the line of s[i], counted as i moves
	for i := 0; i < len(s); {
		if s[i] != '\\' || i+1 >= len(s) {
			if s[i] == '\n' {
				at++
			}
			b.WriteByte(s[i])
			i++
			continue
		}
		e := s[i+1]
		if e == '\n' {
			at++
		}
		if rep, ok := simpleEscapes[e]; ok {
			b.WriteString(rep)
			i += 2
			continue
		}
		n, size, err := codeEscape(s[i:], at, r)
		if err != nil {
			return "", err
		}
		if size == 0 {
			b.WriteByte('\\')
			i++
			continue
		}
		b.WriteRune(n)
		i += size
	}
	return b.String(), nil
}

// codeEscape reads an escape giving a code point (\ooo, \xhh, \uXXXX,
// \UXXXXXXXX) at the start of s; size 0 means s holds no such escape.
func codeEscape(s string, line int, r reporter) (rune, int, error) {
	var digits, base int
	switch e := s[1]; {
	case e >= '0' && e <= '7':
		n := 1
		for n < 3 && 1+n < len(s) && s[1+n] >= '0' && s[1+n] <= '7' {
			n++
		}
		v, _ := strconv.ParseUint(s[1:1+n], 8, 32)
		return rune(v), 1 + n, nil
	case e == 'x':
		digits, base = 2, 16
	case e == 'u':
		digits, base = 4, 16
	case e == 'U':
		digits, base = 8, 16
	case e == 'N':
		return 0, 0, r.unsupported(line, `the \N{...} escape`, `write the character itself or \uXXXX`)
	default:
		return 0, 0, nil
	}
	if len(s) < 2+digits {
		return 0, 0, r.syntax(line, `truncated \%c escape`, s[1])
	}
	v, err := strconv.ParseUint(s[2:2+digits], base, 32)
	if err != nil || strings.ContainsAny(s[2:2+digits], "+-_") {
		return 0, 0, r.syntax(line, `truncated \%c escape`, s[1])
	}
	if v > utf8.MaxRune {
		return 0, 0, r.syntax(line, `illegal Unicode character in a \%c escape`, s[1])
	}
	if v >= 0xD800 && v <= 0xDFFF {
		return 0, 0, r.unsupported(line, "a surrogate escape", "exp's text is UTF-8: write the character itself")
	}
	return rune(v), 2 + digits, nil
}
