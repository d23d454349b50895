package main

import "github.com/spf13/cobra"

// newDistCmd is the parent of the commands that split one run across
// workers: render (Kubernetes YAML).
func newDistCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dist",
		Short: "Run one test across several workers (Kubernetes: dist render)",
	}
	cmd.AddCommand(newDistRenderCmd())
	return cmd
}
