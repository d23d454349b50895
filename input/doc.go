// Package input is the error of a value a user gave: which field of a
// spec (RunSpec, RunConfig, target.Options, a plan) is at fault and why.
//
// Libraries return an *Error naming the field by its spec name ("users",
// "rate-stages", "pool-size"), never by how a front end spells it, and
// any other field the message names as a Name argument; the CLI turns
// the fields into their flags ("--users", "-H"), the web UI puts the
// message beside the form field of that name. Any error holding an *Error
// is the user's input at fault (exit status 2 in the CLI).
package input
