package monitor

import "testing"

func TestTally(t *testing.T) {
	conns := []tcpConn{
		{lport: 8080, rport: 0, state: tcpListen},
		{lport: 8080, rport: 50001, state: tcpEstablished}, // server end
		{lport: 50001, rport: 8080, state: tcpEstablished}, // client end
		{lport: 8080, rport: 50002, state: tcpTimeWait},
		{lport: 50003, rport: 8080, state: tcpTimeWait},
		{lport: 50004, rport: 8080, state: tcpOther},
		{lport: 22, rport: 60000, state: tcpEstablished},
		{lport: 40000, rport: 443, state: tcpTimeWait},
	}
	cases := []struct {
		name                string
		port                uint32
		server, client, all tcpCounts
	}{
		{"port 8080", 8080, tcpCounts{1, 1, 0}, tcpCounts{1, 1, 1}, tcpCounts{3, 3, 1}},
		{"no port", 0, tcpCounts{}, tcpCounts{}, tcpCounts{3, 3, 1}},
		{"unused port", 9999, tcpCounts{}, tcpCounts{}, tcpCounts{3, 3, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := tally(conns, c.port)
			if got.server != c.server || got.client != c.client || got.all != c.all {
				t.Fatalf("tally = %+v, want server %+v client %+v all %+v", got, c.server, c.client, c.all)
			}
		})
	}
}
