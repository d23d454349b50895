package lab

import (
	"context"
	"errors"
	"fmt"
	"time"

	"exp/analysis"
	"exp/store"
	"exp/target"
)

// ErrNotSaved: a run ended but the store could not take its end (counts,
// warnings, summary, status) even after trying again for endRetryFor.
// The Outcome returned with it holds the figures computed in memory; the
// run stays running in the file, and the next exp command that opens the
// file recovers it as incomplete (RecoverStale).
var ErrNotSaved = errors.New("could not be saved")

// The end of a run tries its writes again, as the samples' writer does,
// every endRetryPause for endRetryFor at most in all (not per write): a
// lock another exp holds, or a full disk that frees up, passes; a disk
// that stays full costs the user that long once.
const (
	endRetryFor   = 5 * time.Second
	endRetryPause = 100 * time.Millisecond
)

// persist runs write until it succeeds, fails for good, or fails with a
// transient error after deadline (it always gets one try).
func persist(ctx context.Context, deadline time.Time, write func() error) error {
	for {
		err := write()
		if err == nil || !store.IsTransient(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(endRetryPause):
		}
	}
}

// endWarnings are the warnings a run's end raises from what its load
// left: samples and resource readings the store lost, a target that
// exited.
func endWarnings(d driven, proc *target.Process) []analysis.Warning {
	var ws []analysis.Warning
	if d.lost > 0 {
		ws = append(ws, analysis.Warning{Code: analysis.SamplesLost,
			Text: fmt.Sprintf("%d samples could not be stored (%v): the figures miss them", d.lost, d.lostErr)})
	}
	if d.resLost > 0 {
		ws = append(ws, analysis.Warning{Code: analysis.ResourcesLost,
			Text: fmt.Sprintf("%d resource readings could not be stored (%v): the resource figures miss them", d.resLost, d.resLostErr)})
	}
	if proc != nil && proc.ExitErr() != nil {
		ws = append(ws, analysis.Warning{Code: analysis.TargetStopped, Text: targetStoppedText + ": " + proc.ExitErr().Error()})
	}
	return ws
}

// saveCounts stores what the load scheduled and lost, then the warnings,
// each tried again until deadline.
func (l *Lab) saveCounts(ctx context.Context, runID int64, d driven, ws []analysis.Warning, deadline time.Time) error {
	err := persist(ctx, deadline, func() error { return l.DB.SetCounts(ctx, runID, d.res.Scheduled, d.lost) })
	for _, w := range ws {
		if err != nil {
			break
		}
		err = persist(ctx, deadline, func() error { return l.DB.AddWarning(ctx, runID, w) })
	}
	if err != nil {
		return fmt.Errorf("store counts and warnings: %w", err)
	}
	return nil
}
