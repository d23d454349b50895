//go:build !linux

package load

import "time"

// precise sleeps with a timer where no finer sleep is at hand.
type precise struct{}

func newSleeper() *precise { return &precise{} }

func (p *precise) sleep(d time.Duration) { time.Sleep(min(d, maxSleep)) }

func (p *precise) done() {}
