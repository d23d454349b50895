package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// testPlanPage starts a plan from the plan form, waits for its report in
// the page, and opens the form that starts it again, filled with its flags.
func testPlanPage(t *testing.T, bctx context.Context, step func(string, ...chromedp.Action[chromedp.Void]), goHash func(string),
	text func(string) string, shot func(string) string) {
	t.Helper()
	goHash("#/new-plan")
	step("the plan form", chromedp.WaitVisible(chromedp.ID("f-levels")),
		chromedp.SetValue(chromedp.ID("f-variants"), "goroutine"), chromedp.SetValue(chromedp.ID("f-levels"), "2:100"),
		chromedp.SetValue(chromedp.ID("f-duration"), "1s"), chromedp.SetValue(chromedp.ID("f-tasks"), "/health:1"),
		chromedp.SetValue(chromedp.ID("f-wait"), "0"), chromedp.SetValue(chromedp.ID("f-name"), "p1"),
		chromedp.Click(chromedp.ID("start")), chromedp.WaitVisible(chromedp.ID("plan-status")))
	deadline := time.Now().Add(30 * time.Second)
	for st := text("#plan-status"); st != "completed"; st = text("#plan-status") {
		if time.Now().After(deadline) {
			t.Fatalf("plan p1 is %q after 30 s, want completed", st)
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // the report's last load
	shot("6-plan.png")
	step("start it again", chromedp.Click(chromedp.ID("plan-again")), chromedp.WaitVisible(chromedp.ID("f-levels")))
	levels, err1 := chromedp.Run(bctx, chromedp.Value(chromedp.ID("f-levels")))
	variants, err2 := chromedp.Run(bctx, chromedp.Value(chromedp.ID("f-variants")))
	if err1 != nil || err2 != nil {
		t.Fatalf("read the form: %v, %v", err1, err2)
	}
	if levels != "2:100" || variants != "goroutine" {
		t.Errorf("the form to start p1 again has levels %q, variants %q: want p1's 2:100 and goroutine", levels, variants)
	}
	if h1 := text("h1"); !strings.Contains(h1, "p1") {
		t.Errorf("the form's heading %q does not name p1", h1)
	}
	// Start it again, longer, as p2, and stop it from its page.
	step("start p2 from p1's form", chromedp.SetValue(chromedp.ID("f-name"), "p2"), chromedp.SetValue(chromedp.ID("f-duration"), "30s"),
		chromedp.Click(chromedp.ID("start")), chromedp.WaitVisible(chromedp.ID("stop-plan")))
	time.Sleep(1500 * time.Millisecond) // its first cell is under way
	step("stop p2", chromedp.Click(chromedp.ID("stop-plan")))
	deadline = time.Now().Add(30 * time.Second)
	for st := text("#plan-status"); st != "aborted"; st = text("#plan-status") {
		if time.Now().After(deadline) {
			t.Fatalf("plan p2 is %q 30 s after Stop, want aborted", st)
		}
		time.Sleep(200 * time.Millisecond)
	}
	shot("7-plan-stopped.png")
}
