// Package migrations holds the store's schema as numbered SQL files
// (0001_init.sql, 0002_resources.sql, ...), embedded in the binary.
//
// Data enters as .sql files written by hand; it leaves as FS, which the store
// package reads at Open and applies in name order, each file in its own
// transaction, recording the file name in the migrations table. A file, once
// released, is never edited: the schema changes only by a new file, because
// users' exp.db files already hold the old ones. The package exists on its
// own because go:embed cannot reach a parent directory.
package migrations

import "embed"

// FS holds every migration file, named NNNN_what.sql.
//
//go:embed *.sql
var FS embed.FS
