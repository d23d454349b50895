package lab

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"exp/input"
	"exp/locust"
	"exp/store"
)

// StoreImported stores a run read from another tool's files (ReadLocust)
// as a run with status imported; a taken name is the user's input at
// fault.
func StoreImported(ctx context.Context, db *store.DB, ir store.ImportedRun) error {
	if _, err := db.ImportRun(ctx, ir); err != nil {
		if errors.Is(err, store.ErrNameTaken) {
			return input.Errorf("name", "%q: a run of that name exists already", ir.Name)
		}
		return err
	}
	return nil
}

// ReadLocust reads the CSV files Locust writes with --csv PREFIX
// (PREFIX_stats.csv required; PREFIX_stats_history.csv and
// PREFIX_failures.csv when present) into a run to import, named after the
// PREFIX's file name. Every error is the files' fault (an *input.Error of
// field "prefix").
func ReadLocust(prefix string) (store.ImportedRun, error) {
	prefix = strings.TrimSuffix(prefix, "_stats.csv")
	var stats []locust.StatsRow
	var hist []locust.HistoryRow
	var fails []locust.FailureRow
	err := readCSV(prefix+"_stats.csv", true, func(r io.Reader, file string) (err error) {
		stats, err = locust.ReadStats(r, file)
		return err
	})
	if err == nil {
		err = readCSV(prefix+"_stats_history.csv", false, func(r io.Reader, file string) (err error) {
			hist, err = locust.ReadHistory(r, file)
			return err
		})
	}
	if err == nil {
		err = readCSV(prefix+"_failures.csv", false, func(r io.Reader, file string) (err error) {
			fails, err = locust.ReadFailures(r, file)
			return err
		})
	}
	if err != nil {
		return store.ImportedRun{}, input.Wrap("prefix", err)
	}
	im, err := locust.ToSummary(stats, hist, fails)
	if err != nil {
		return store.ImportedRun{}, input.Errorf("prefix", "%s_stats.csv: %w", prefix, err)
	}
	ir := store.ImportedRun{Name: filepath.Base(prefix), Started: im.Started, Users: im.Users,
		Notes: "imported from Locust CSV files " + prefix + "_*.csv", Tasks: im.Tasks,
		Summary: im.Summary, Ladders: map[int][]store.Quantile{}}
	for ep, l := range im.Ladders {
		ir.Ladders[ep] = storedLadder(l)
	}
	for _, h := range hist {
		ir.History = append(ir.History, storedHistory(h))
	}
	return ir, nil
}

// readCSV opens a file and reads it with read; a missing file is an
// error only when required.
func readCSV(path string, required bool, read func(io.Reader, string) error) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return read(f, path)
}

// storedLadder keeps the percentiles of a Locust ladder that have a value.
func storedLadder(l locust.Ladder) []store.Quantile {
	var out []store.Quantile
	for i, p := range locust.Percentiles {
		if !math.IsNaN(l[i]) {
			out = append(out, store.Quantile{P: p, MS: l[i]})
		}
	}
	return out
}

// ladderOf is the Locust ladder of stored quantiles: N/A where none.
func ladderOf(qs []store.Quantile) locust.Ladder {
	l := locust.NoLadder()
	for _, q := range qs {
		for i, p := range locust.Percentiles {
			if math.Abs(p-q.P) < 1e-9 {
				l[i] = q.MS
			}
		}
	}
	return l
}

// storedHistory and historyRow convert between Locust's history rows and
// the store's, whose columns are Locust's percentiles
// (TestHistoryPercentilesAreLocusts).
func storedHistory(h locust.HistoryRow) store.HistoryRow {
	return store.HistoryRow{Timestamp: h.Timestamp, UserCount: h.UserCount, Type: h.Type, Name: h.Name,
		RPS: h.RPS, FailPerSec: h.FailPerSec, Pct: h.Pct, TotalRequests: h.TotalRequests,
		TotalFailures: h.TotalFailures, TotalMedian: h.TotalMedian, TotalAvg: h.TotalAvg,
		TotalMin: h.TotalMin, TotalMax: h.TotalMax, TotalAvgSize: h.TotalAvgSize}
}

func historyRow(h store.HistoryRow) locust.HistoryRow {
	return locust.HistoryRow{Timestamp: h.Timestamp, UserCount: h.UserCount, Type: h.Type, Name: h.Name,
		RPS: h.RPS, FailPerSec: h.FailPerSec, Pct: h.Pct, TotalRequests: h.TotalRequests,
		TotalFailures: h.TotalFailures, TotalMedian: h.TotalMedian, TotalAvg: h.TotalAvg,
		TotalMin: h.TotalMin, TotalMax: h.TotalMax, TotalAvgSize: h.TotalAvgSize}
}
