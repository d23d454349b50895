package locustfile

import (
	"fmt"
	"strconv"
	"strings"

	"exp/input"
)

// field is the input.Error field of every refusal: the CLI maps it to
// --locustfile.
const field = "locustfile"

// reporter makes the errors of one file. Every error names the file and
// the line, and is one line of text, so a terminal, a log and the web UI
// all show it whole.
type reporter struct{ path string }

// unsupported refuses valid Python outside the subset: the construct, in
// words a locustfile's author recognises, and a hint of what to write.
func (r reporter) unsupported(line int, construct, hint string) error {
	return input.Errorf(field, "%s:%d: %s is not supported by exp's locustfile reader (%s)",
		r.path, line, oneLine(construct), oneLine(hint))
}

// syntax refuses text that is not Python at all.
func (r reporter) syntax(line int, format string, a ...any) error {
	return input.Errorf(field, "%s:%d: syntax error: %s", r.path, line, oneLine(fmt.Sprintf(format, a...)))
}

// invalid refuses Python that would fail when Locust loads it, such as a
// name used without its import.
func (r reporter) invalid(line int, format string, a ...any) error {
	return input.Errorf(field, "%s:%d: %s", r.path, line, oneLine(fmt.Sprintf(format, a...)))
}

// notImported refuses a use of a name that the file never imports.
func (r reporter) notImported(line int, name, how string) error {
	return r.invalid(line, "%s is used but not imported (%s)", name, how)
}

// oneLine keeps a message on one line whatever a quoted construct holds.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
			return ' '
		}
		return r
	}, s)
}

// describe renders an expression briefly, as source, for a message.
func describe(e expr) string {
	r := []rune(render(e))
	if len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return string(r)
}

func render(e expr) string {
	switch e := e.(type) {
	case *nameExpr:
		return e.id
	case *attrExpr:
		return render(e.x) + "." + e.name
	case *callExpr:
		if len(e.args)+len(e.kwargs) == 0 {
			return render(e.fn) + "()"
		}
		return render(e.fn) + "(...)"
	case *indexExpr:
		return render(e.x) + "[" + render(e.index) + "]"
	case *strExpr:
		return renderStr(e)
	case *numExpr:
		return e.num.text
	case *constExpr:
		return e.value
	case *listExpr:
		if e.tuple {
			return "(...)"
		}
		return "[...]"
	case *dictExpr:
		return "{...}"
	case *binExpr:
		return render(e.l) + " " + e.op + " " + render(e.r)
	case *unaryExpr:
		if e.op == "not" {
			return "not " + render(e.x)
		}
		return e.op + render(e.x)
	}
	return "this expression"
}

func renderStr(e *strExpr) string {
	var b strings.Builder
	for _, p := range e.parts {
		if !p.isVar {
			b.WriteString(p.lit)
			continue
		}
		b.WriteString("{")
		if p.self {
			b.WriteString("self.")
		}
		b.WriteString(p.name + "}")
	}
	if e.f {
		return "f" + strconv.Quote(b.String())
	}
	return strconv.Quote(b.String())
}
