package runflags

import (
	"strings"

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
// prints it: an input error's field by its flag ("--users must be at
// least 1, got 0"). The field's own text is exactly the *input.Error's
// rendering, so it is found in the message and given the flag's name in
// place.
func ErrorText(err error) string {
	msg := err.Error()
	e, ok := input.As(err)
	if !ok {
		return msg
	}
	flag, named := flagOf[e.Field]
	if !named {
		flag = "--" + e.Field
	}
	with := e.Err.Error()
	if flag != "" {
		with = flag + " " + with
	}
	return strings.Replace(msg, e.Error(), with, 1)
}
