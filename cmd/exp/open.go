package main

import (
	"fmt"
	"io"

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
	printRecovered(cmd.ErrOrStderr(), o)
	return o.DB, nil
}

// openStoreRO opens the --db file for reading (and for writing once, when
// runs left running by a dead process are to be finished).
func openStoreRO(cmd *cobra.Command) (*store.DB, error) {
	o, err := lab.OpenRead(cmd.Context(), dbPath(cmd))
	if err != nil {
		return nil, err
	}
	printRecovered(cmd.ErrOrStderr(), o)
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

// printRecovered says, each on its own line, which runs of a dead process
// were finished, or why they could not be.
func printRecovered(w io.Writer, o lab.Opened) {
	if o.Stale > 0 {
		fmt.Fprintf(w, "exp: %d runs were left running by a process that died; they stay so until %s can be written: %v\n",
			o.Stale, o.DB.Path(), o.WriteErr)
	}
	for _, r := range o.Recovered {
		if r.Err != nil {
			fmt.Fprintf(w, "exp: recover run %s: %v\n", r.Name, r.Err)
			continue
		}
		fmt.Fprintf(w, "exp: run %s was left running by a process that died; marked incomplete (%d requests kept)\n", r.Name, r.Requests)
	}
}
