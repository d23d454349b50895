package main

import "github.com/spf13/cobra"

// newDistCmd is the parent of the commands that split one run across
// workers: local (N processes here) and render (Kubernetes YAML).
func newDistCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dist",
		Short: "Split a test across workers: on this machine (local) or as a Kubernetes Indexed Job (render)",
		Args:  cobra.ArbitraryArgs,
		RunE:  parentRun,
	}
	cmd.AddCommand(newDistLocalCmd(), newDistRenderCmd())
	return cmd
}
