package dist

import (
	"fmt"
	"time"
)

// LateStartError: the workers were all seen ready only after their common
// start, so none starts: the start margin (Worker.Margin) is too short for
// how long they took to see each other, or their clocks differ.
type LateStartError struct {
	Late   time.Duration // how long after the common start
	Margin time.Duration
}

func (e *LateStartError) Error() string { return e.Text("the start margin") }

// Text is the message with the margin named as a front end names it (the
// CLI: "--start-margin").
func (e *LateStartError) Text(margin string) string {
	return fmt.Sprintf("all workers were seen ready %v after the common start: raise %s (now %v) or check the clocks",
		e.Late.Round(time.Millisecond), margin, e.Margin)
}
