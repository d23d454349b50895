package monitor

import (
	"context"

	"github.com/shirou/gopsutil/v4/net"
)

// TCP states the counts tell apart.
const (
	tcpOther uint8 = iota
	tcpEstablished
	tcpTimeWait
	tcpListen
)

// tcpConn is what a tick needs of one TCP socket.
type tcpConn struct {
	lport, rport uint32
	state        uint8
}

// tcpCounts counts connections by state; LISTEN sockets are not connections.
type tcpCounts struct{ established, timeWait, other int }

func (c *tcpCounts) add(state uint8) {
	switch state {
	case tcpEstablished:
		c.established++
	case tcpTimeWait:
		c.timeWait++
	case tcpListen:
	default:
		c.other++
	}
}

// tcpTally splits one scan of the machine's TCP table between the scopes.
type tcpTally struct {
	server tcpCounts // local port == target port: the target's ends
	client tcpCounts // remote port == target port: the generator's ends
	all    tcpCounts // every socket on the machine
}

func tally(conns []tcpConn, port uint32) tcpTally {
	var t tcpTally
	for _, c := range conns {
		t.all.add(c.state)
		if port == 0 {
			continue
		}
		if c.lport == port {
			t.server.add(c.state)
		} else if c.rport == port {
			t.client.add(c.state)
		}
	}
	return t
}

func stateOf(status string) uint8 {
	switch status {
	case "ESTABLISHED":
		return tcpEstablished
	case "TIME_WAIT":
		return tcpTimeWait
	case "LISTEN":
		return tcpListen
	}
	return tcpOther
}

// fromGopsutil converts gopsutil's connection list.
func fromGopsutil(cs []net.ConnectionStat) []tcpConn {
	out := make([]tcpConn, len(cs))
	for i, c := range cs {
		out[i] = tcpConn{lport: c.Laddr.Port, rport: c.Raddr.Port, state: stateOf(c.Status)}
	}
	return out
}

// pidTCP counts the TCP connections one process owns.
func pidTCP(ctx context.Context, pid int32) (tcpCounts, error) {
	var c tcpCounts
	cs, err := net.ConnectionsPidWithoutUidsWithContext(ctx, "tcp", pid)
	if err != nil {
		return c, err
	}
	for _, x := range fromGopsutil(cs) {
		c.add(x.state)
	}
	return c, nil
}
