package monitor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"syscall"
)

// scanTCP asks the kernel through sock_diag (diag_linux.go) and falls back
// to /proc/net/tcp{,6} where netlink is not available (some sandboxes).
// gopsutil's net.Connections reads the same files and also every process's
// fd table to name each socket's owner, which the counts do not need.
//
// The IPv6 table is skipped while no IPv6 TCP socket is in use: its walk
// costs as much as the IPv4 one. Only TIME_WAIT leftovers of IPv6
// connections already closed go uncounted then.
func scanTCP(_ context.Context) ([]tcpConn, error) {
	families := []uint8{syscall.AF_INET}
	if tcp6InUse() {
		families = append(families, syscall.AF_INET6)
	}
	if out, err := diagTCP(nil, families); err == nil {
		return out, nil
	}
	return procTCP()
}

// tcp6InUse reads "TCP6: inuse N" from /proc/net/sockstat6; true when it
// cannot tell.
func tcp6InUse() bool {
	b, err := readSmall("/proc/net/sockstat6", make([]byte, 512))
	if err != nil {
		return !errors.Is(err, fs.ErrNotExist) // no file: IPv6 disabled
	}
	_, rest, ok := bytes.Cut(b, []byte("TCP6: inuse "))
	if !ok {
		return true
	}
	return !bytes.HasPrefix(rest, []byte("0\n")) && !bytes.Equal(rest, []byte("0"))
}

func procTCP() ([]tcpConn, error) {
	var out []tcpConn
	buf := make([]byte, 64<<10) // one read per 64 KB, not per 4 KB page
	for _, path := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := readSmall(path, buf)
		if errors.Is(err, fs.ErrNotExist) && path == "/proc/net/tcp6" {
			continue // IPv6 disabled
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		out = parseProcNetTCP(b, out)
		buf = b[:cap(b)]
	}
	return out, nil
}

// parseProcNetTCP appends the sockets of one /proc/net/tcp* file. A line is
// "sl local_address rem_address st ...", addresses as HEXIP:HEXPORT and the
// state in hex.
func parseProcNetTCP(b []byte, out []tcpConn) []tcpConn {
	first := true
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		if first { // header
			first = false
			continue
		}
		f := bytes.Fields(line)
		if len(f) < 4 {
			continue
		}
		lport, ok1 := hexPort(f[1])
		rport, ok2 := hexPort(f[2])
		st, err := strconv.ParseUint(string(f[3]), 16, 8)
		if !ok1 || !ok2 || err != nil {
			continue
		}
		out = append(out, tcpConn{lport: lport, rport: rport, state: procState(st)})
	}
	return out
}

func hexPort(addr []byte) (uint32, bool) {
	i := bytes.LastIndexByte(addr, ':')
	if i < 0 {
		return 0, false
	}
	p, err := strconv.ParseUint(string(addr[i+1:]), 16, 16)
	return uint32(p), err == nil
}

// procState maps the kernel's TCP state numbers (include/net/tcp_states.h).
func procState(st uint64) uint8 {
	switch st {
	case 0x01:
		return tcpEstablished
	case 0x06:
		return tcpTimeWait
	case 0x0A:
		return tcpListen
	}
	return tcpOther
}
