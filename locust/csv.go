package locust

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Percentiles are the percentile columns of Locust's files, in order.
var Percentiles = [...]float64{50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100}

// Ladder holds a latency (ms) for each of Percentiles; NaN where Locust
// writes N/A (no requests).
type Ladder [len(Percentiles)]float64

// NoLadder is a Ladder of N/A.
func NoLadder() Ladder {
	var l Ladder
	for i := range l {
		l[i] = math.NaN()
	}
	return l
}

// Headers of the files, exactly as Locust 2.x writes them.
var (
	StatsHeader = []string{"Type", "Name", "Request Count", "Failure Count", "Median Response Time",
		"Average Response Time", "Min Response Time", "Max Response Time", "Average Content Size",
		"Requests/s", "Failures/s", "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%",
		"99.99%", "100%"}
	HistoryHeader = []string{"Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s",
		"50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%",
		"Total Request Count", "Total Failure Count", "Total Median Response Time",
		"Total Average Response Time", "Total Min Response Time", "Total Max Response Time",
		"Total Average Content Size"}
	FailuresHeader = []string{"Method", "Name", "Error", "Occurrences"}
)

// Aggregated is the Name of the row over all endpoints (its Type is "").
const Aggregated = "Aggregated"

// StatsRow is a line of PREFIX_stats.csv. Times are milliseconds.
type StatsRow struct {
	Type, Name         string // method and path; "" and Aggregated for the total
	Requests, Failures int64
	Median, Avg        float64
	Min, Max           float64
	AvgSize            float64 // bytes
	RPS, FailPerSec    float64
	Pct                Ladder
}

// HistoryRow is a line of PREFIX_stats_history.csv: the moment's window
// figures and the running totals.
type HistoryRow struct {
	Timestamp             int64 // Unix seconds
	UserCount             int
	Type, Name            string
	RPS, FailPerSec       float64
	Pct                   Ladder
	TotalRequests         int64
	TotalFailures         int64
	TotalMedian, TotalAvg float64
	TotalMin, TotalMax    float64
	TotalAvgSize          float64
}

// FailureRow is a line of PREFIX_failures.csv.
type FailureRow struct {
	Method, Name, Error string
	Occurrences         int64
}

// table is a CSV file read with its header, cells looked up by column name.
type table struct {
	file string
	col  map[string]int
	rows [][]string
}

func readTable(r io.Reader, file string, want []string) (*table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty file, want a header %q", file, strings.Join(want, ","))
	}
	t := &table{file: file, col: map[string]int{}, rows: recs[1:]}
	for i, h := range recs[0] {
		t.col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	var missing []string
	for _, h := range want {
		if _, ok := t.col[h]; !ok {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: not a Locust 2.x CSV file: no column %q", file, strings.Join(missing, `", "`))
	}
	return t, nil
}

// cell reads the named column of row i; parse errors name the file, line
// and column.
type cellReader struct {
	t   *table
	i   int
	err error
}

func (c *cellReader) str(name string) string {
	row := c.t.rows[c.i]
	if j := c.t.col[name]; j < len(row) {
		return strings.TrimSpace(row[j])
	}
	return ""
}

func (c *cellReader) fail(name, v, want string) {
	if c.err == nil {
		c.err = fmt.Errorf("%s line %d, column %q: %q is not %s", c.t.file, c.i+2, name, v, want)
	}
}

func (c *cellReader) float(name string) float64 {
	v := c.str(name)
	if v == "N/A" || v == "" {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		c.fail(name, v, "a number")
	}
	return f
}

// num is float with N/A read as 0, for figures Locust writes as 0 anyway.
func (c *cellReader) num(name string) float64 {
	f := c.float(name)
	if math.IsNaN(f) {
		return 0
	}
	return f
}

func (c *cellReader) int(name string) int64 {
	v := c.str(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		// Locust writes some counts as floats ("170.0").
		f, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil || f != math.Trunc(f) {
			c.fail(name, v, "a whole number")
		}
		return int64(f)
	}
	return n
}

func (c *cellReader) ladder() Ladder {
	var l Ladder
	for i, h := range StatsHeader[11:] {
		l[i] = c.float(h)
	}
	return l
}

// ReadStats reads a PREFIX_stats.csv file; file names it in errors.
func ReadStats(r io.Reader, file string) ([]StatsRow, error) {
	t, err := readTable(r, file, StatsHeader)
	if err != nil {
		return nil, err
	}
	out := make([]StatsRow, len(t.rows))
	for i := range t.rows {
		c := &cellReader{t: t, i: i}
		out[i] = StatsRow{Type: c.str("Type"), Name: c.str("Name"), Requests: c.int("Request Count"),
			Failures: c.int("Failure Count"), Median: c.num("Median Response Time"),
			Avg: c.num("Average Response Time"), Min: c.num("Min Response Time"),
			Max: c.num("Max Response Time"), AvgSize: c.num("Average Content Size"),
			RPS: c.num("Requests/s"), FailPerSec: c.num("Failures/s"), Pct: c.ladder()}
		if c.err != nil {
			return nil, c.err
		}
	}
	return out, nil
}

// ReadHistory reads a PREFIX_stats_history.csv file.
func ReadHistory(r io.Reader, file string) ([]HistoryRow, error) {
	t, err := readTable(r, file, HistoryHeader)
	if err != nil {
		return nil, err
	}
	out := make([]HistoryRow, len(t.rows))
	for i := range t.rows {
		c := &cellReader{t: t, i: i}
		out[i] = HistoryRow{Timestamp: c.int("Timestamp"), UserCount: int(c.int("User Count")),
			Type: c.str("Type"), Name: c.str("Name"), RPS: c.num("Requests/s"),
			FailPerSec: c.num("Failures/s"), Pct: c.ladder(),
			TotalRequests: c.int("Total Request Count"), TotalFailures: c.int("Total Failure Count"),
			TotalMedian: c.num("Total Median Response Time"), TotalAvg: c.num("Total Average Response Time"),
			TotalMin: c.num("Total Min Response Time"), TotalMax: c.num("Total Max Response Time"),
			TotalAvgSize: c.num("Total Average Content Size")}
		if c.err != nil {
			return nil, c.err
		}
	}
	return out, nil
}

// ReadFailures reads a PREFIX_failures.csv file.
func ReadFailures(r io.Reader, file string) ([]FailureRow, error) {
	t, err := readTable(r, file, FailuresHeader)
	if err != nil {
		return nil, err
	}
	out := make([]FailureRow, len(t.rows))
	for i := range t.rows {
		c := &cellReader{t: t, i: i}
		out[i] = FailureRow{Method: c.str("Method"), Name: c.str("Name"), Error: c.str("Error"),
			Occurrences: c.int("Occurrences")}
		if c.err != nil {
			return nil, c.err
		}
	}
	return out, nil
}

// Number formats a figure as Locust's files hold it: the shortest decimal
// that reads back the same; "N/A" for NaN.
func Number(v float64) string {
	if math.IsNaN(v) {
		return "N/A"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func ladderCells(l Ladder) []string {
	out := make([]string, len(l))
	for i, v := range l {
		out[i] = Number(v)
	}
	return out
}

// WriteStats writes rows as a PREFIX_stats.csv file.
func WriteStats(w io.Writer, rows []StatsRow) error {
	cw := csv.NewWriter(w)
	cw.Write(StatsHeader)
	for _, r := range rows {
		rec := []string{r.Type, r.Name, strconv.FormatInt(r.Requests, 10), strconv.FormatInt(r.Failures, 10),
			Number(r.Median), Number(r.Avg), Number(r.Min), Number(r.Max), Number(r.AvgSize),
			Number(r.RPS), Number(r.FailPerSec)}
		cw.Write(append(rec, ladderCells(r.Pct)...))
	}
	cw.Flush()
	return cw.Error()
}

// WriteHistory writes rows as a PREFIX_stats_history.csv file.
func WriteHistory(w io.Writer, rows []HistoryRow) error {
	cw := csv.NewWriter(w)
	cw.Write(HistoryHeader)
	for _, r := range rows {
		rec := []string{strconv.FormatInt(r.Timestamp, 10), strconv.Itoa(r.UserCount), r.Type, r.Name,
			Number(r.RPS), Number(r.FailPerSec)}
		rec = append(rec, ladderCells(r.Pct)...)
		rec = append(rec, strconv.FormatInt(r.TotalRequests, 10), strconv.FormatInt(r.TotalFailures, 10),
			Number(r.TotalMedian), Number(r.TotalAvg), Number(r.TotalMin), Number(r.TotalMax),
			Number(r.TotalAvgSize))
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// WriteFailures writes rows as a PREFIX_failures.csv file.
func WriteFailures(w io.Writer, rows []FailureRow) error {
	cw := csv.NewWriter(w)
	cw.Write(FailuresHeader)
	for _, r := range rows {
		cw.Write([]string{r.Method, r.Name, r.Error, strconv.FormatInt(r.Occurrences, 10)})
	}
	cw.Flush()
	return cw.Error()
}
