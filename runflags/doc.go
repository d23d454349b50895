// Package runflags is `exp run`'s flags as a library: Flags.Bind defines
// them on a pflag.FlagSet, Flags.Spec turns what was given into a checked
// lab.RunSpec, ErrorText and Flag say an error as the CLI says it and
// which flag it is about. The CLI and the web UI's form go through it, so
// a value is validated, and refused, the same way in both.
package runflags
