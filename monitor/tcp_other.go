//go:build !linux

package monitor

import (
	"context"

	"github.com/shirou/gopsutil/v4/net"
)

// scanTCP lists the machine's TCP sockets through gopsutil (the IP Helper
// table on Windows; lsof on macOS, which is slow: see doc.go).
func scanTCP(ctx context.Context) ([]tcpConn, error) {
	cs, err := net.ConnectionsWithoutUidsWithContext(ctx, "tcp")
	if err != nil {
		return nil, err
	}
	return fromGopsutil(cs), nil
}
