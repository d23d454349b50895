package main

import (
	"fmt"

	"exp/target"

	"github.com/spf13/cobra"
)

func newServeCmd() *cobra.Command {
	opts := target.DefaultOptions()
	var stopOnEOF bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the built-in target server (the server under test)",
		Long: `Run the target server: /health, /io?ms=200, /cpu?work=N, /mem?mb=N&hold=1s.

The first line on stdout is "listening on http://HOST:PORT". The server
stops gracefully on Ctrl-C or SIGTERM. exp run starts it as a child process
with the same flags.`,
		Example: `  exp serve --variant single
  exp serve --variant pooled --pool-size 8 --queue 32 --addr 127.0.0.1:5000
  exp serve --keepalive=false --stall-every 10s --stall-for 1s
  exp serve --tls --cert-out target.pem          # HTTPS, self-signed; exp run --url https://... --ca-cert target.pem
  exp serve --http2                              # h2c (prior knowledge) beside HTTP/1.1; with --tls, h2 by ALPN`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, opts, stopOnEOF)
		},
	}
	opts.BindFlags(cmd.Flags())
	cmd.Flags().BoolVar(&stopOnEOF, target.StdinEOFFlag, false, "shut down when stdin closes (used by exp run)")
	_ = cmd.Flags().MarkHidden(target.StdinEOFFlag)
	return cmd
}

func runServe(cmd *cobra.Command, opts target.Options, stopOnEOF bool) error {
	if err := opts.Validate(); err != nil {
		return badInput(err)
	}
	if target.IsAllInterfaces(opts.Addr) {
		fmt.Fprintf(cmd.ErrOrStderr(), "exp serve: warning: --addr %s listens on all interfaces, not only this machine\n", opts.Addr)
	}
	srv, err := target.Listen(opts)
	if err != nil {
		return badInput(err)
	}
	if err := srv.Announce(cmd.OutOrStdout(), opts.CertOut); err != nil {
		return err
	}
	ctx := cmd.Context()
	if stopOnEOF {
		ctx = target.CancelOnEOF(ctx, cmd.InOrStdin())
	}
	return srv.Run(ctx)
}
