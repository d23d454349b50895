//go:build !linux

package load

import (
	"net"
	"syscall"
)

// rawConnOf returns nil: outside Linux, connReader reads and writes
// through net.Conn.
func rawConnOf(net.Conn) syscall.RawConn { return nil }

func (r *connReader) rawRead(uintptr) bool  { return true }
func (r *connReader) rawWrite(uintptr) bool { return true }
