// Package scenario is what a scenario's users do: user classes with
// weights and think times, an on_start flow and weighted tasks of
// requests (method, path, headers, body, display name, timeout, expected
// statuses, checks) and of variables set from templates, values captured
// from responses (JSON path, regular expression, header, cookie), CSV data
// files handed out by a strategy (queue, circular, random, user).
//
// In: a scenario file's YAML (Read, Decode) or a File made by another
// reader (package locustfile). Out: a compiled *Scenario, checked, every
// template parsed and every variable numbered, which package load runs
// without parsing anything per request (Template.Append renders into the
// caller's buffer); Redacted and Marshal give the file as stored with a
// run. Errors are *input.Error of field "scenario", one line naming the
// file and line (a compile error carries its YAML path, PathError, which
// Located turns into a line).
//
// YAML is read with github.com/goccy/go-yaml: maintained (gopkg.in/yaml.v3
// is not), strict about unknown keys, and able to locate a YAML path in the
// source, which is how an error names its line.
package scenario
