package load

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestSampleEncoder(t *testing.T) {
	tasks := []Task{{Method: "GET", Path: "/health", Weight: 1}, {Method: "POST", Path: `/q?a=1,b="2"`, Weight: 1}}
	samples := []Sample{
		{Start: 1500 * time.Microsecond, Latency: 2 * time.Millisecond, Service: time.Millisecond, Endpoint: 0, Status: 200, Bytes: 12, User: 3, Reused: true,
			Phases: Phases{Wait: 700 * time.Microsecond, Read: 300 * time.Microsecond}, Proto: HTTP11},
		{Start: time.Second, Latency: 5 * time.Millisecond, Service: 5 * time.Millisecond, Endpoint: 1, Status: 200, User: 5,
			Phases: Phases{DNS: 100 * time.Microsecond, Connect: 200 * time.Microsecond, TLS: 1200 * time.Microsecond, Wait: 3000 * time.Microsecond, Read: 500 * time.Microsecond}, Proto: HTTP2},
		{Start: time.Second, Latency: 5 * time.Millisecond, Service: 5 * time.Millisecond, Endpoint: 1, Status: 503, Class: HTTP, User: 4},
		{Start: 2 * time.Second, Endpoint: 0, Class: Dropped},
	}
	var csvOut, jsonOut bytes.Buffer
	ce, err := NewSampleEncoder(&csvOut, tasks, false)
	if err != nil {
		t.Fatal(err)
	}
	je, _ := NewSampleEncoder(&jsonOut, tasks, true)
	for _, s := range samples {
		if err := ce.Encode(s); err != nil {
			t.Fatal(err)
		}
		if err := je.Encode(s); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, csvOut.String())
	}
	want := [][]string{
		strings.Split(strings.TrimSpace(SampleCSVHeader), ","),
		{"1500", "2000", "1000", "GET", "/health", "200", "", "12", "3", "true", "0", "0", "0", "700", "300", "HTTP/1.1"},
		{"1000000", "5000", "5000", "POST", `/q?a=1,b="2"`, "200", "", "0", "5", "false", "100", "200", "1200", "3000", "500", "HTTP/2"},
		{"1000000", "5000", "5000", "POST", `/q?a=1,b="2"`, "503", "http-503", "0", "4", "false", "0", "0", "0", "0", "0", ""},
		{"2000000", "0", "0", "GET", "/health", "0", "dropped", "0", "0", "false", "0", "0", "0", "0", "0", ""},
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("CSV row %d: %q, want %q", i, rows[i], want[i])
		}
	}
	lines := strings.Split(strings.TrimSpace(jsonOut.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d JSON lines", len(lines))
	}
	var j sampleJSON
	if err := json.Unmarshal([]byte(lines[2]), &j); err != nil || j.Class != "http-503" || j.Path != tasks[1].Path || j.LatencyUS != 5000 {
		t.Errorf("JSON line %s: %+v, %v", lines[2], j, err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &j); err != nil || j.TLSUS != 1200 || j.ReadUS != 500 || j.Protocol != "HTTP/2" {
		t.Errorf("JSON line %s: phases %+v, %v", lines[1], j, err)
	}
}
