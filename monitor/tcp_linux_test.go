package monitor

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	gnet "github.com/shirou/gopsutil/v4/net"
)

func TestParseProcNetTCP(t *testing.T) {
	const table = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:C351 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:1F90 0100007F:C352 06 00000000:00000000 03:00000F85 00000000     0        0 0 3 0000000000000000
   3: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:C353 08 00000000:00000000 00:00000000 00000000 0 0 3 1
   garbage
`
	got := parseProcNetTCP([]byte(table), nil)
	want := []tcpConn{
		{0x1F90, 0, tcpListen},
		{0xC351, 0x1F90, tcpEstablished},
		{0x1F90, 0xC352, tcpTimeWait},
		{0x1F90, 0xC353, tcpOther},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d sockets %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("socket %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// serveOn starts an httptest server on addr ("127.0.0.1:0", "[::1]:0"),
// leaves one idle keep-alive connection to it, and returns its port.
func serveOn(t *testing.T, addr string) int {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("listen %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	u, _ := url.Parse(srv.URL)
	port, _ := strconv.Atoi(u.Port())
	return port
}

// sock_diag, /proc/net/tcp and gopsutil's net.Connections must count the
// same sockets on the target's port, over IPv4 and IPv6.
func TestScanTCPMatchesGopsutil(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		t.Run(addr, func(t *testing.T) {
			port := uint32(serveOn(t, addr))
			ctx := context.Background()
			fast, err := scanTCP(ctx)
			if err != nil {
				t.Fatal(err)
			}
			proc, err := procTCP()
			if err != nil {
				t.Fatal(err)
			}
			cs, err := gnet.ConnectionsWithoutUidsWithContext(ctx, "tcp")
			if err != nil {
				t.Fatal(err)
			}
			a, b, c := tally(fast, port), tally(proc, port), tally(fromGopsutil(cs), port)
			if a.server != c.server || a.client != c.client || b.server != c.server || b.client != c.client {
				t.Fatalf("sock_diag %+v, /proc %+v, gopsutil %+v", a, b, c)
			}
			if a.server.established != 1 || a.client.established != 1 {
				t.Fatalf("want one established connection each end, got %+v", a)
			}
		})
	}
}
