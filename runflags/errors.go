package runflags

import (
	"errors"
	"strings"

	"exp/dist"
	"exp/input"
)

// flagOf spells a spec's field as the flag that sets it; "" for a field
// given as an argument.
var flagOf = map[string]string{"header": "-H", "prefix": "", "out": "--out", "runs": ""}

// Flag is the flag (without its dashes: "users", "H") that sets the field
// an input error names; "" for other errors.
func Flag(err error) string {
	e, ok := input.As(err)
	if !ok {
		return ""
	}
	flag, named := flagOf[e.Field]
	if !named {
		return e.Field
	}
	return strings.TrimLeft(flag, "-")
}

// ErrorText is an error as the CLI (and the web UI beside its field)
// prints it: an input error's field, and the other fields its message
// names (input.Name), by their flags ("--users must be at least 1, got
// 0", "--h2-streams 4 needs --http2"); a late start of a split test's
// workers names --start-margin. The field's own text is exactly the *input.Error's
// rendering, so it is found in the message and given the flag's name in
// place.
func ErrorText(err error) string {
	msg := err.Error()
	if late := (*dist.LateStartError)(nil); errors.As(err, &late) {
		return strings.Replace(msg, late.Error(), late.Text("--start-margin"), 1)
	}
	e, ok := input.As(err)
	if !ok {
		return msg
	}
	with := e.Text(spell)
	if flag := spell(e.Field); flag != e.Field {
		with = flag + " " + with
	}
	return strings.Replace(msg, e.Error(), with, 1)
}

// spell is a field as the CLI spells it: its flag ("--users", "-H"), or
// its own name for a field given as an argument.
func spell(field string) string {
	flag, named := flagOf[field]
	switch {
	case !named:
		return "--" + field
	case flag == "":
		return field
	}
	return flag
}
