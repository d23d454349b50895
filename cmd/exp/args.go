package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// isCobraUsageError recognises cobra's own errors for bad commands and
// argument counts, which it returns as plain errors.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires at most", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// exactArgs is cobra.ExactArgs with the error marked as bad input.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		return badInput(cobra.ExactArgs(n)(cmd, args))
	}
}

// minArgs is cobra.MinimumNArgs with the error marked as bad input.
func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		return badInput(cobra.MinimumNArgs(n)(cmd, args))
	}
}
