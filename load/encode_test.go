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
		{Start: 1500 * time.Microsecond, Latency: 2 * time.Millisecond, Service: time.Millisecond, Endpoint: 0, Status: 200, Bytes: 12, User: 3, Reused: true},
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
		{"1500", "2000", "1000", "GET", "/health", "200", "", "12", "3", "true"},
		{"1000000", "5000", "5000", "POST", `/q?a=1,b="2"`, "503", "http-503", "0", "4", "false"},
		{"2000000", "0", "0", "GET", "/health", "0", "dropped", "0", "0", "false"},
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("CSV row %d: %q, want %q", i, rows[i], want[i])
		}
	}
	lines := strings.Split(strings.TrimSpace(jsonOut.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d JSON lines", len(lines))
	}
	var j sampleJSON
	if err := json.Unmarshal([]byte(lines[1]), &j); err != nil || j.Class != "http-503" || j.Path != tasks[1].Path || j.LatencyUS != 5000 {
		t.Errorf("JSON line %s: %+v, %v", lines[1], j, err)
	}
}
