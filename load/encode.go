package load

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

// SampleCSVHeader is the header line of the samples CSV, a public format
// (exp export --samples).
const SampleCSVHeader = "t_us,latency_us,service_us,method,path,status,error_class,bytes,user,reused," +
	"dns_us,connect_us,tls_us,wait_us,read_us,protocol\n"

// SampleEncoder writes samples one line each, as CSV (after
// SampleCSVHeader) or as JSON lines, naming each sample's endpoint by its
// task. It keeps one line's buffer, so a run of any length streams
// through it.
type SampleEncoder struct {
	w     io.Writer
	tasks []Task
	json  bool
	buf   []byte
}

// NewSampleEncoder encodes to w; jsonLines picks JSON lines over CSV.
// The CSV header is written first.
func NewSampleEncoder(w io.Writer, tasks []Task, jsonLines bool) (*SampleEncoder, error) {
	e := &SampleEncoder{w: w, tasks: tasks, json: jsonLines}
	if !jsonLines {
		if _, err := io.WriteString(w, SampleCSVHeader); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// sampleJSON is a sample as one JSON line.
type sampleJSON struct {
	TUS       int64  `json:"t_us"`
	LatencyUS int64  `json:"latency_us"`
	ServiceUS int64  `json:"service_us"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Status    uint16 `json:"status"`
	Class     string `json:"error_class"`
	Bytes     int64  `json:"bytes"`
	User      uint32 `json:"user"`
	Reused    bool   `json:"reused"`
	DNSUS     uint32 `json:"dns_us"`
	ConnectUS uint32 `json:"connect_us"`
	TLSUS     uint32 `json:"tls_us"`
	WaitUS    uint32 `json:"wait_us"`
	ReadUS    uint32 `json:"read_us"`
	Protocol  string `json:"protocol"` // "" when the request got no connection or answer
}

// Encode writes one sample.
func (e *SampleEncoder) Encode(s Sample) error {
	method, path := "", ""
	if int(s.Endpoint) < len(e.tasks) {
		method, path = e.tasks[s.Endpoint].Method, e.tasks[s.Endpoint].Path
	}
	ph := s.Phases.Micros()
	if e.json {
		b, err := json.Marshal(sampleJSON{s.Start.Microseconds(), s.Latency.Microseconds(),
			s.Service.Microseconds(), method, path, s.Status, s.Class.Name(s.Status), s.Bytes, s.User, s.Reused,
			ph[0], ph[1], ph[2], ph[3], ph[4], s.Proto.String()})
		if err != nil {
			return err
		}
		_, err = e.w.Write(append(b, '\n'))
		return err
	}
	buf := e.buf[:0]
	buf = strconv.AppendInt(buf, s.Start.Microseconds(), 10)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, s.Latency.Microseconds(), 10)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, s.Service.Microseconds(), 10)
	buf = append(buf, ',')
	buf = append(buf, method...)
	buf = append(buf, ',')
	buf = appendCSVField(buf, path)
	buf = append(buf, ',')
	buf = strconv.AppendUint(buf, uint64(s.Status), 10)
	buf = append(buf, ',')
	buf = append(buf, s.Class.Name(s.Status)...)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, s.Bytes, 10)
	buf = append(buf, ',')
	buf = strconv.AppendUint(buf, uint64(s.User), 10)
	buf = append(buf, ',')
	buf = strconv.AppendBool(buf, s.Reused)
	for _, v := range ph {
		buf = append(buf, ',')
		buf = strconv.AppendUint(buf, uint64(v), 10)
	}
	buf = append(buf, ',')
	buf = append(buf, s.Proto.String()...)
	buf = append(buf, '\n')
	e.buf = buf
	_, err := e.w.Write(buf)
	return err
}

// appendCSVField quotes a field that holds a comma, a quote or a newline.
func appendCSVField(buf []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n") {
		return append(buf, s...)
	}
	return append(append(append(buf, '"'), strings.ReplaceAll(s, `"`, `""`)...), '"')
}
