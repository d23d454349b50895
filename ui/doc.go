// Package ui is `exp ui`: a web app to start, watch, stop and compare
// runs, backed by the store.
//
// In: a Config (the store, the address, a token, the exp binary for the
// built-in target). Out: an http.Handler serving the embedded page
// (assets/: plain JS and uPlot, vendored) and its API — the runs and
// groups (/api/runs), a run's figures, series and verdict, Server-Sent
// Events while it runs (/live: read from the store as it grows, so runs
// exp run writes from a terminal show live too), a form checked by
// runflags (the CLI's own code: the same one-line errors, with the flag
// they are about), start and stop (through lab.Lab, never a shell),
// comparisons (lab.Comparison), charts (lab's PNGs) and plan reports.
//
// Guards: it listens on loopback unless given a token; state-changing
// requests need the page's CSRF token and a same-origin Origin; Host must
// be a loopback name when it listens on loopback (DNS rebinding); the form
// loads only loopback targets unless AllowRemoteTargets.
package ui
