package scenario

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
)

// Strategies of a data file.
const (
	Queue    = "queue"
	Circular = "circular"
	Random   = "random"
	PerUser  = "user"
)

// ErrDataUsedUp is a queue data file with no row left.
var ErrDataUsedUp = errors.New("every row of the data file was used")

// Feeder hands out the rows of one data file to users, safe for
// concurrent use.
type Feeder struct {
	Name     string
	Path     string
	SHA256   string // of the file, stored with the run
	Strategy string
	Stop     bool // queue used up: the user stops (else its task fails)
	Columns  []string
	rows     [][]string
	mu       sync.Mutex
	next     int
	step     int // a queue's rows are next, next+step, ...: 0 is 1
}

// Split makes a queue hand out only the rows of worker i of n, i, i+n,
// i+2n, ..., so that across the workers of a split test each row is used
// once. Other strategies are unchanged: their rows are not used up.
func (f *Feeder) Split(i, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Strategy == Queue && n > 1 {
		f.next, f.step = i, n
	}
}

// loadFeeder reads a CSV file with a header row.
func loadFeeder(d DataSpec, path string) (*Feeder, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(bytesReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("%s: want a header row and at least one row of data", path)
	}
	sum := sha256.Sum256(b)
	f := &Feeder{Name: d.Name, Path: path, SHA256: hex.EncodeToString(sum[:]), Strategy: d.Strategy,
		Stop: d.OnEnd != "fail", Columns: recs[0], rows: recs[1:]}
	if f.Strategy == "" {
		f.Strategy = Circular
	}
	return f, nil
}

// Rows is the number of rows of data.
func (f *Feeder) Rows() int { return len(f.rows) }

// Row gives the row a user takes now.
func (f *Feeder) Row(st *State) ([]string, error) {
	switch f.Strategy {
	case Random:
		return f.rows[st.Rand.IntN(len(f.rows))], nil
	case PerUser:
		return f.rows[st.User%len(f.rows)], nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Strategy == Queue {
		if f.next >= len(f.rows) {
			return nil, ErrDataUsedUp
		}
		r := f.rows[f.next]
		f.next += max(f.step, 1)
		return r, nil
	}
	r := f.rows[f.next%len(f.rows)]
	f.next++
	return r, nil
}
