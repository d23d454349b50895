package load

import (
	"bufio"
	"bytes"
	"io"
)

// The response side of h1Client: HTTP/1.x parsed in place in the bufio
// buffer, with no allocation. Only what framing needs is looked at: the
// status, Content-Length, Transfer-Encoding and Connection.

// h1Header is what the header of a response says about its body and its
// connection.
type h1Header struct {
	length  int64 // Content-Length, -1 when absent
	encoded bool  // Transfer-Encoding present: Content-Length does not count
	chunked bool  // ... and its last coding is chunked
	keep    bool  // the connection may carry another request
}

// readResponseKeep reads one response from br and discards its body (none
// for a HEAD request). keep reports whether the connection may carry
// another request; answered, whether any byte of a response was read.
// Interim 1xx responses are skipped; 101 ends the connection's HTTP life.
// With k (nil: nothing kept) it keeps what a scenario's captures, checks
// and cookie jar need: the Set-Cookie lines, the headers k names, and
// (k.wantBody) the body, up to maxCaptureBody.
func readResponseKeep(br *bufio.Reader, head bool, k *h1Keep) (status int, n int64, keep, answered bool, err error) {
	for {
		line, full, err := readLine(br)
		if err != nil {
			return 0, 0, false, answered || len(line) > 0, err
		}
		answered = true
		status, http10, ok := parseStatusLine(line)
		if !ok {
			return 0, 0, false, true, errMalformed
		}
		if full {
			if err := skipLine(br); err != nil {
				return status, 0, false, true, err
			}
		}
		k.reset()
		h, err := readHeaderKeep(br, http10, k)
		if err != nil {
			return status, 0, false, true, err
		}
		switch {
		case status >= 100 && status < 200 && status != 101:
			continue // 100 Continue, 103 Early Hints: the real answer follows
		case status == 101:
			return status, 0, false, true, nil // the connection left HTTP
		case head || status == 204 || status == 304:
			return status, 0, h.keep, true, nil
		case h.chunked:
			n, err = takeChunked(br, k)
		case h.encoded || h.length < 0:
			n, err = takeAll(br, k) // the body ends when the connection does
			h.keep = false
		default:
			n, err = takeN(br, h.length, k)
		}
		return status, n, h.keep && err == nil, true, err
	}
}

// readLine reads a line and returns it without its line end. A line longer
// than the buffer comes back as its first part with full set; the caller
// then skips the rest with skipLine. At the end of input, io.EOF if
// nothing was read, io.ErrUnexpectedEOF within a line. On an error, line
// is what was read of it.
func readLine(br *bufio.Reader) (line []byte, full bool, err error) {
	line, err = br.ReadSlice('\n')
	switch err {
	case nil:
		line = line[:len(line)-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		return line, false, nil
	case bufio.ErrBufferFull:
		return line, true, nil
	case io.EOF:
		if len(line) > 0 {
			err = io.ErrUnexpectedEOF
		}
	}
	return line, false, err
}

// skipLine discards the rest of a line too long for the buffer.
func skipLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		switch err {
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			return io.ErrUnexpectedEOF
		}
		return err
	}
}

// parseStatusLine parses "HTTP/1.x NNN reason".
func parseStatusLine(line []byte) (status int, http10, ok bool) {
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, false, false
	}
	if len(line) > 12 && line[12] != ' ' {
		return 0, false, false
	}
	for _, c := range line[9:12] {
		if c < '0' || c > '9' {
			return 0, false, false
		}
		status = status*10 + int(c-'0')
	}
	return status, line[7] == '0', status >= 100
}

// readHeader reads header lines up to the empty line.
func readHeader(br *bufio.Reader, http10 bool) (h h1Header, err error) {
	return readHeaderKeep(br, http10, nil)
}

func readHeaderKeep(br *bufio.Reader, http10 bool, k *h1Keep) (h h1Header, err error) {
	h.length, h.keep = -1, !http10
	for {
		line, full, err := readLine(br)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return h, err
		}
		if len(line) == 0 && !full {
			return h, nil
		}
		if err := h.add(line); err != nil {
			return h, err
		}
		k.header(line)
		if full {
			if err := skipLine(br); err != nil {
				return h, err
			}
		}
	}
}

// add takes in one header line; lines of other headers are ignored.
func (h *h1Header) add(line []byte) error {
	name, value, ok := bytes.Cut(line, []byte(":"))
	if !ok {
		return nil // an obsolete folded line or junk: net/http ignores it too
	}
	value = bytes.TrimSpace(value)
	switch {
	case equalFold(name, "content-length"):
		n, ok := parseDecimal(value)
		if !ok || (h.length >= 0 && h.length != n) {
			return errMalformed
		}
		h.length = n
	case equalFold(name, "transfer-encoding"):
		h.encoded = true
		last := value
		if i := bytes.LastIndexByte(value, ','); i >= 0 {
			last = bytes.TrimSpace(value[i+1:])
		}
		h.chunked = equalFold(last, "chunked")
	case equalFold(name, "connection"):
		for len(value) > 0 {
			var tok []byte
			tok, value, _ = bytes.Cut(value, []byte(","))
			tok = bytes.TrimSpace(tok)
			switch {
			case equalFold(tok, "close"):
				h.keep = false
				return nil
			case equalFold(tok, "keep-alive"):
				h.keep = true
			}
		}
	}
	return nil
}

// equalFold compares b with the lower-case ASCII s, ignoring case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// parseDecimal parses a Content-Length: digits only, below 2^62.
func parseDecimal(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// parseChunkSize parses the hex size at the start of a chunk line (an
// extension after ';' is ignored).
func parseChunkSize(line []byte) (int64, bool) {
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimSpace(line)
	if len(line) == 0 || len(line) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range line {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		n = n<<4 | int64(c)
	}
	return n, true
}

// discardN discards n bytes of body.
func discardN(br *bufio.Reader, n int64) (int64, error) {
	var done int64
	for done < n {
		d, err := br.Discard(int(min(n-done, 1<<30)))
		done += int64(d)
		if err == io.EOF {
			return done, io.ErrUnexpectedEOF
		}
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// discardAll discards a body that ends with the connection.
func discardAll(br *bufio.Reader) (int64, error) {
	var done int64
	for {
		d, err := br.Discard(1 << 30)
		done += int64(d)
		if err == io.EOF {
			return done, nil
		}
		if err != nil {
			return done, err
		}
	}
}

// takeChunked discards (or keeps, see takeN) a chunked body and its
// trailer, and returns the length of the data, as net/http's body reader
// would.
func takeChunked(br *bufio.Reader, k *h1Keep) (int64, error) {
	var n int64
	for {
		line, full, err := readLine(br)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return n, err
		}
		size, ok := parseChunkSize(line)
		if !ok {
			return n, errMalformed
		}
		if full {
			if err := skipLine(br); err != nil { // a long chunk extension
				return n, err
			}
		}
		if size == 0 {
			_, err := readHeader(br, false) // the trailer, ignored
			return n, err
		}
		d, err := takeN(br, size, k)
		n += d
		if err != nil {
			return n, err
		}
		end, full, err := readLine(br)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return n, err
		}
		if len(end) != 0 || full {
			return n, errMalformed
		}
	}
}
