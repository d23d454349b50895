package main

import (
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/spf13/cobra"

	"exp/ui"
)

func newUICmd() *cobra.Command {
	var addr, token string
	var remote bool
	cmd := &cobra.Command{
		Use:   "ui",
		Short: "Serve the web UI: start, watch, stop and compare runs in a browser (Locust's localhost:8089, backed by the store)",
		Long: `Serve the web UI at --addr (default http://127.0.0.1:8089): every stored
run and group, a run's tables, charts, verdict and exports, a form that starts
a run (checked by the same code as exp run), live charts of running runs (also
of runs exp run writes from a terminal), Stop, comparisons and plan reports.

It listens on loopback by default. A non-loopback --addr needs --token (give
"auto" for a generated one, printed): open the UI with ?token=TOKEN. Starting
and stopping need the page's CSRF token and a same-origin request. The form
loads only loopback URLs unless --allow-remote-targets. Interrupting exp ui
stops the runs it started (kept as aborted).`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if token == "auto" {
				token = ui.NewToken()
			}
			db, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			exe, _ := os.Executable()
			srv, err := ui.NewServer(ui.Config{DB: db, Addr: addr, Token: token, Version: version, Exe: exe, AllowRemoteTargets: remote})
			if errors.Is(err, ui.ErrNeedsToken) {
				return badInput(fmt.Errorf("--addr %s: %w; give --token (--token auto makes one)", addr, err))
			}
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return badInput(fmt.Errorf("--addr: %w", err))
			}
			url := "http://" + ln.Addr().String() + "/"
			if token != "" {
				url += "?token=" + token
			}
			fmt.Fprintf(cmd.OutOrStdout(), "exp ui at %s (database %s); Ctrl-C stops it\n", url, dbPath(cmd))
			return srv.Serve(cmd.Context(), ln)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8089", "address to listen on; not loopback: needs --token")
	cmd.Flags().StringVar(&token, "token", "", "a token every request must carry (?token= once, then a cookie); auto: generate one")
	cmd.Flags().BoolVar(&remote, "allow-remote-targets", false, "let the form start runs against URLs that are not loopback")
	return cmd
}
