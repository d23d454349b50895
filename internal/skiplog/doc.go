// Package skiplog makes a skipped test loud: Skip skips it and, when
// $EXP_SKIP_LOG names a file (CI sets it), appends the reason there, so
// that CI prints every test that could not run even though go test, for
// packages that pass, prints nothing but "ok".
package skiplog
