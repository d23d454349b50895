package main

import (
	"github.com/spf13/cobra"

	"exp/report"
)

func newListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List stored runs, newest first",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := openStoreRO(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			rows, err := db.ListRuns(cmd.Context())
			if err != nil {
				return err
			}
			return report.Runs(cmd.OutOrStdout(), rows)
		},
	}
}
