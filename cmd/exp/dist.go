package main

import "github.com/spf13/cobra"

func newDistCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dist",
		Short: "Split a test across workers: on this machine (local) or as a Kubernetes Indexed Job (render)",
	}
	cmd.AddCommand(newDistLocalCmd())
	return cmd
}
