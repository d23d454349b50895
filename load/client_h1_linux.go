package load

import (
	"io"
	"net"
	"os"
	"syscall"
	"unsafe"
)

// On Linux, h1Client reads and writes its socket with raw system calls
// through RawConn. The socket is non-blocking, so neither call can block;
// waiting is RawConn's (the netpoller, with the connection's deadline).
// Going around net.Conn skips the runtime's syscall entry and exit, and
// with them its wake-ups of sysmon: a generator that waits for its server
// goes idle and busy thousands of times a second, and each syscall after an
// idle spell woke sysmon and set it polling every 20 µs, which cost more
// context switches than the requests themselves.

// rawConnOf gives the connection's file descriptor access, or nil.
func rawConnOf(conn net.Conn) syscall.RawConn {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return raw
}

// rawRead is the function connReader hands to RawConn.Read (bound once, so
// a read allocates nothing). It must try to read at once, even right after
// a request was written: RawConn.Read clears the socket's readiness before
// the first call, so waiting first could miss a response that came in
// meanwhile.
func (r *connReader) rawRead(fd uintptr) bool {
	if len(r.buf) == 0 {
		r.n, r.err = 0, nil
		return true
	}
	n, _, errno := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&r.buf[0])), uintptr(len(r.buf)))
	switch {
	case errno == syscall.EAGAIN || errno == syscall.EINTR:
		return false
	case errno != 0:
		r.n, r.err = 0, os.NewSyscallError("read", errno)
	case n == 0:
		r.n, r.err = 0, io.EOF
	default:
		r.n, r.err = int(n), nil
	}
	return true
}

// rawWrite writes all of r.wbuf, waiting (returning false) while the
// socket's send buffer is full.
func (r *connReader) rawWrite(fd uintptr) bool {
	for len(r.wbuf) > 0 {
		n, _, errno := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&r.wbuf[0])), uintptr(len(r.wbuf)))
		switch {
		case errno == syscall.EAGAIN:
			return false
		case errno == syscall.EINTR:
			continue
		case errno != 0:
			r.err = os.NewSyscallError("write", errno)
			return true
		}
		r.wbuf = r.wbuf[n:]
	}
	return true
}
