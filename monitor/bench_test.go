package monitor

import (
	"context"
	"net"
	"os"
	"testing"
	"time"

	gnet "github.com/shirou/gopsutil/v4/net"
	"github.com/shirou/gopsutil/v4/process"
)

// holdConns opens n loopback TCP connections to a listener and keeps them
// open until the benchmark ends; it returns the listener's port.
func holdConns(b *testing.B, n int) int {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // the server ends, held open
		}
	}()
	clients := make([]net.Conn, 0, n)
	for range n {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		clients = append(clients, c)
	}
	b.Cleanup(func() {
		ln.Close()
		for _, c := range clients {
			c.Close()
		}
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// BenchmarkTick is the cost of one reading of all scopes with 300 loopback
// connections (600 sockets) open to the target port. Run with
// -benchtime=200x: it should stay well under 5 ms. cpu-ns/op is the CPU
// time this process spent, user and system: on a shared machine it is a
// steadier figure than the wall time.
func BenchmarkTick(b *testing.B) {
	port := holdConns(b, 300)
	s, err := NewSampler(Config{TargetPID: int32(os.Getpid()), TargetPort: port})
	if err != nil {
		b.Fatal(err)
	}
	ctx, start := context.Background(), time.Now()
	self, _ := process.NewProcess(int32(os.Getpid()))
	c0 := cpuSeconds(self)
	for b.Loop() {
		s.tick(ctx, start)
	}
	b.ReportMetric((cpuSeconds(self)-c0)*1e9/float64(b.N), "cpu-ns/op")
}

func cpuSeconds(p *process.Process) float64 {
	t, err := p.Times()
	if err != nil {
		return 0
	}
	return t.User + t.System
}

// BenchmarkGopsutilConnections is what the TCP scan would cost through
// gopsutil's net.Connections, for comparison with scanTCP.
func BenchmarkGopsutilConnections(b *testing.B) {
	holdConns(b, 300)
	ctx := context.Background()
	for b.Loop() {
		if _, err := gnet.ConnectionsWithoutUidsWithContext(ctx, "tcp"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScanTCP(b *testing.B) {
	holdConns(b, 300)
	ctx := context.Background()
	for b.Loop() {
		if _, err := scanTCP(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
