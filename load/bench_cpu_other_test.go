//go:build !unix

package load

import "time"

// processCPU is not measured here: cpu-ns/req reads 0.
func processCPU() time.Duration { return 0 }
