package target

import "testing"

var sink uint64

// BenchmarkCPUWork measures one default /cpu request's loop; doc.go
// records the figure that DefaultCPUWork was chosen from.
func BenchmarkCPUWork(b *testing.B) {
	for b.Loop() {
		sink = cpuWork(DefaultCPUWork)
	}
}
