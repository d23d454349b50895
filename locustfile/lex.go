package locustfile

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a token, as in Python's tokenize module: the
// layout of the file becomes NEWLINE, INDENT and DEDENT tokens so the
// parser never looks at columns.
type tokKind int

const (
	tEOF tokKind = iota
	tNewline
	tIndent
	tDedent
	tName // identifiers and keywords: the parser tells them apart
	tNumber
	tString
	tOp
)

type token struct {
	kind tokKind
	text string // a name or operator as written; a number's text
	line int    // 1-based line where the token starts
	num  numLit // for tNumber
	str  strLit // for tString, decoded
}

// indent is one level of the indentation stack. CPython measures a line
// twice, a tab counting 8 columns and 1 column, and refuses a line that
// the two measures order differently: that is how it finds tabs and
// spaces mixed in a way whose meaning depends on the tab width.
type indent struct{ col, alt int }

type lexer struct {
	r       reporter
	src     string
	pos     int
	line    int
	indents []indent
	opens   []token // brackets not yet closed: inside them newlines do not count
	toks    []token
}

// lex turns a locustfile into tokens, ending with tEOF.
func lex(src string, r reporter) ([]token, error) {
	src = strings.TrimPrefix(src, "\ufeff")
	// Python reads \r\n and \r as \n, in strings too.
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	if !utf8.ValidString(src) {
		return nil, r.syntax(invalidUTF8Line(src), "the file is not valid UTF-8")
	}
	l := &lexer{r: r, src: src, line: 1, indents: []indent{{}}}
	if err := l.run(); err != nil {
		return nil, err
	}
	return l.toks, nil
}

func invalidUTF8Line(s string) int {
	for i, c := range s {
		if c == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return 1 + strings.Count(s[:i], "\n")
			}
		}
	}
	return 1
}

func (l *lexer) emit(kind tokKind, text string, line int) {
	l.toks = append(l.toks, token{kind: kind, text: text, line: line})
}

func (l *lexer) run() error {
	atStart := true
	for {
		if atStart && len(l.opens) == 0 {
			if err := l.indentation(); err != nil {
				return err
			}
			atStart = false
		}
		if l.pos >= len(l.src) {
			return l.finish()
		}
		var err error
		switch c := l.src[l.pos]; c {
		case '\n':
			l.pos++
			if len(l.opens) == 0 {
				l.emit(tNewline, "", l.line)
				atStart = true
			}
			l.line++
		case ' ', '\t', '\f':
			l.pos++
		case '#':
			l.skipComment()
		case '\\':
			err = l.continuation()
		default:
			err = l.token()
		}
		if err != nil {
			return err
		}
	}
}

func (l *lexer) skipComment() {
	if i := strings.IndexByte(l.src[l.pos:], '\n'); i >= 0 {
		l.pos += i
	} else {
		l.pos = len(l.src)
	}
}

// continuation joins a line ending in a backslash to the next one.
func (l *lexer) continuation() error {
	if l.pos+1 >= len(l.src) {
		return l.r.syntax(l.line, "unexpected end of file after a line continuation")
	}
	if l.src[l.pos+1] != '\n' {
		return l.r.syntax(l.line, "unexpected character after a line continuation")
	}
	l.pos += 2
	l.line++
	return nil
}

// indentation measures the indentation of the next line that holds a
// token, skipping blank and comment-only lines as Python does, and emits
// INDENT or DEDENTs.
func (l *lexer) indentation() error {
	for {
		col, alt := l.measure()
		if l.pos < len(l.src) && l.src[l.pos] == '#' {
			l.skipComment()
		}
		if l.pos >= len(l.src) {
			return nil
		}
		if l.src[l.pos] == '\n' {
			l.pos++
			l.line++
			continue
		}
		return l.setIndent(col, alt)
	}
}

func (l *lexer) measure() (col, alt int) {
	for ; l.pos < len(l.src); l.pos++ {
		switch l.src[l.pos] {
		case ' ':
			col++
			alt++
		case '\t':
			col = (col/8 + 1) * 8
			alt++
		case '\f':
			col, alt = 0, 0
		default:
			return col, alt
		}
	}
	return col, alt
}

func (l *lexer) setIndent(col, alt int) error {
	mixed := func() error {
		return l.r.syntax(l.line, "inconsistent use of tabs and spaces in indentation")
	}
	top := l.indents[len(l.indents)-1]
	switch {
	case col > top.col:
		if alt <= top.alt {
			return mixed()
		}
		l.indents = append(l.indents, indent{col, alt})
		l.emit(tIndent, "", l.line)
	case col < top.col:
		for len(l.indents) > 1 && col < l.indents[len(l.indents)-1].col {
			l.indents = l.indents[:len(l.indents)-1]
			l.emit(tDedent, "", l.line)
		}
		top = l.indents[len(l.indents)-1]
		if col != top.col {
			return l.r.syntax(l.line, "unindent does not match any outer indentation level")
		}
		if alt != top.alt {
			return mixed()
		}
	case alt != top.alt:
		return mixed()
	}
	return nil
}

func (l *lexer) finish() error {
	if n := len(l.opens); n > 0 {
		o := l.opens[n-1]
		return l.r.syntax(o.line, "'%s' is never closed", o.text)
	}
	if n := len(l.toks); n > 0 && l.toks[n-1].kind != tNewline {
		l.emit(tNewline, "", l.line)
	}
	for len(l.indents) > 1 {
		l.indents = l.indents[:len(l.indents)-1]
		l.emit(tDedent, "", l.line)
	}
	l.emit(tEOF, "", l.line)
	return nil
}

func (l *lexer) token() error {
	c, _ := utf8.DecodeRuneInString(l.src[l.pos:])
	switch {
	case isIdentStart(c):
		return l.nameOrString()
	case c >= '0' && c <= '9' || c == '.' && l.pos+1 < len(l.src) && isDigit(l.src[l.pos+1]):
		return l.number()
	case c == '"' || c == '\'':
		return l.stringLit("")
	}
	return l.operator()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c rune) bool { return c == '_' || unicode.IsLetter(c) }

func isIdentChar(c rune) bool {
	return isIdentStart(c) || unicode.IsDigit(c) || unicode.In(c, unicode.Mn, unicode.Mc, unicode.Pc)
}

// stringPrefixes are the prefixes Python allows before a quote (in any
// case); b is among them so that bytes can be refused by name.
var stringPrefixes = map[string]bool{"r": true, "u": true, "f": true, "b": true,
	"br": true, "rb": true, "fr": true, "rf": true}

func (l *lexer) nameOrString() error {
	start := l.pos
	for l.pos < len(l.src) {
		c, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if !isIdentChar(c) {
			break
		}
		l.pos += n
	}
	word := l.src[start:l.pos]
	if l.pos < len(l.src) && (l.src[l.pos] == '"' || l.src[l.pos] == '\'') &&
		stringPrefixes[strings.ToLower(word)] {
		return l.stringLit(strings.ToLower(word))
	}
	l.emit(tName, word, l.line)
	return nil
}

// stringLit reads a string literal whose prefix has been read; l.pos is
// at its opening quote.
func (l *lexer) stringLit(prefix string) error {
	line := l.line
	if strings.Contains(prefix, "b") {
		return l.r.unsupported(line, "a bytes literal", "write a str literal: exp sends text")
	}
	delim := l.src[l.pos : l.pos+1]
	if strings.HasPrefix(l.src[l.pos:], strings.Repeat(delim, 3)) {
		delim = strings.Repeat(delim, 3)
	}
	l.pos += len(delim)
	start := l.pos
	for {
		if l.pos >= len(l.src) {
			return l.r.syntax(line, "unterminated string literal")
		}
		if strings.HasPrefix(l.src[l.pos:], delim) {
			break
		}
		switch l.src[l.pos] {
		case '\\':
			l.pos++
			if l.pos < len(l.src) && l.src[l.pos] == '\n' {
				l.line++
			}
		case '\n':
			if len(delim) == 1 {
				return l.r.syntax(line, "unterminated string literal")
			}
			l.line++
		}
		l.pos++
	}
	body := l.src[start:l.pos]
	l.pos += len(delim)
	lit, err := decodeString(body, strings.Contains(prefix, "r"), strings.Contains(prefix, "f"), line, l.r)
	if err != nil {
		return err
	}
	l.toks = append(l.toks, token{kind: tString, line: line, str: lit})
	return nil
}

// operators, longest first so that "**=" is not read as "**" and "=".
var operators = []string{"**=", "//=", ">>=", "<<=", "...",
	"->", ":=", "==", "!=", "<=", ">=", "**", "//", "<<", ">>",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
	"(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "@", "=",
	"+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "~"}

var closers = map[string]string{")": "(", "]": "[", "}": "{"}

func (l *lexer) operator() error {
	for _, op := range operators {
		if !strings.HasPrefix(l.src[l.pos:], op) {
			continue
		}
		l.pos += len(op)
		tok := token{kind: tOp, text: op, line: l.line}
		switch op {
		case "(", "[", "{":
			l.opens = append(l.opens, tok)
		case ")", "]", "}":
			n := len(l.opens)
			if n == 0 {
				return l.r.syntax(l.line, "unmatched '%s'", op)
			}
			if o := l.opens[n-1]; o.text != closers[op] {
				return l.r.syntax(l.line, "closing '%s' does not match '%s' of line %d", op, o.text, o.line)
			}
			l.opens = l.opens[:n-1]
		}
		l.toks = append(l.toks, tok)
		return nil
	}
	c, _ := utf8.DecodeRuneInString(l.src[l.pos:])
	return l.r.syntax(l.line, "unexpected character %q", c)
}
