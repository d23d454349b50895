package main

import (
	"fmt"
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

// exactArgs accepts exactly n arguments; other counts are bad input,
// named with the command's usage.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) == n:
			return nil
		case n == 0:
			return badInput(fmt.Errorf("%s takes no arguments, got %q", cmd.Name(), strings.Join(args, " ")))
		}
		return badInput(fmt.Errorf("%s takes %d argument(s), got %d (usage: %s)", cmd.Name(), n, len(args), usage(cmd)))
	}
}

// minArgs accepts n arguments or more.
func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= n {
			return nil
		}
		return badInput(fmt.Errorf("%s needs at least %d arguments, got %d (usage: %s)", cmd.Name(), n, len(args), usage(cmd)))
	}
}

func usage(cmd *cobra.Command) string {
	if p := cmd.Parent(); p != nil {
		return p.CommandPath() + " " + cmd.Use
	}
	return cmd.Use
}
