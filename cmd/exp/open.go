package main

import (
	"github.com/spf13/cobra"

	"exp/lab"
	"exp/store"
)

func dbPath(cmd *cobra.Command) string {
	path, _ := cmd.Flags().GetString("db")
	return path
}

// openStore opens the --db file for writing, finishing the runs a dead
// process left running.
func openStore(cmd *cobra.Command) (*store.DB, error) {
	o, err := lab.OpenWrite(cmd.Context(), dbPath(cmd))
	if err != nil {
		return nil, err
	}
	if err := lab.PrintRecovered(cmd.ErrOrStderr(), o); err != nil {
		o.DB.Close()
		return nil, err
	}
	return o.DB, nil
}

// openStoreRO opens the --db file for reading (and for writing once, when
// runs left running by a dead process are to be finished).
func openStoreRO(cmd *cobra.Command) (*store.DB, error) {
	o, err := lab.OpenRead(cmd.Context(), dbPath(cmd))
	if err != nil {
		return nil, err
	}
	if err := lab.PrintRecovered(cmd.ErrOrStderr(), o); err != nil {
		o.DB.Close()
		return nil, err
	}
	return o.DB, nil
}

// openRun opens the --db file for reading and finds a run by name or id;
// an unknown run is bad input. The caller closes the store.
func openRun(cmd *cobra.Command, nameOrID string) (*store.DB, store.Run, error) {
	db, err := openStoreRO(cmd)
	if err != nil {
		return nil, store.Run{}, err
	}
	r, err := db.FindRun(cmd.Context(), nameOrID)
	if err != nil {
		db.Close()
		return nil, store.Run{}, err
	}
	return db, r, nil
}
