package main

import (
	"cmp"
	"fmt"

	"github.com/spf13/cobra"

	"exp/lab"
)

func newShowCmd() *cobra.Command {
	var plotsDir string
	cmd := &cobra.Command{
		Use:   "show RUN",
		Short: "Show a stored run's summary (by name or id), rebuilt from the store",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, r, err := openRun(cmd, args[0])
			if err != nil {
				return err
			}
			defer db.Close()
			if err := lab.PrintRun(cmd.Context(), cmd.OutOrStdout(), db, r.ID); err != nil {
				return err
			}
			if err := lab.PrintScenario(cmd.OutOrStdout(), r); err != nil || plotsDir == "" {
				return err
			}
			s, err := lab.Load(cmd.Context(), db, r.ID)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout())
			written, skipped, err := lab.WritePlots([]lab.Stored{s}, plotsDir)
			return cmp.Or(err, lab.PrintPlots(cmd.OutOrStdout(), cmd.ErrOrStderr(), written, skipped))
		},
	}
	cmd.Flags().StringVar(&plotsDir, "plots", "", "also write the run's PNG charts into this directory")
	return cmd
}
