package store

import (
	"exp/load"
	"fmt"
	"strings"
	"time"
)

// A sample crosses the driver as 7 packed integers, unpacked by the INSERT
// and packed again by the SELECT: each value bound or read costs calls into
// SQLite (each taking its mutex), which dominated the profiles with one
// value per column. The stored columns are plain; only these statements
// know the packing.
const sampleParams = 7

// Bit layout of the 4th value: reused (1 bit), error class (4 bits), HTTP
// status (10 bits: statuses have three digits), endpoint (16), user (32).
// The 5th to 7th hold the phases two by two in 32-bit halves (DNS and
// connect, TLS and wait, read and the protocol).
const (
	classShift    = 1
	statusShift   = 5
	endpointShift = 15
	userShift     = 31
	maxStatus     = 1<<10 - 1
	maxMicros     = 1<<31 - 1 // latency and service share one value: 35 minutes each at most
	halfShift     = 32
	lowHalf       = 1<<32 - 1
)

// Every ErrorClass must fit in the 4 class bits.
var _ [15 - load.LastClass]struct{}

// pack gives the values of a sample: start, latency and service, bytes,
// the small fields, and the phases.
func pack(r load.Sample) [sampleParams]int64 {
	lat := min(max(int64(r.Latency/us), 0), maxMicros)
	svc := min(max(int64(r.Service/us), 0), maxMicros)
	small := int64(r.User)<<userShift | int64(r.Endpoint)<<endpointShift |
		int64(min(r.Status, maxStatus))<<statusShift | int64(r.Class)<<classShift
	if r.Reused {
		small |= 1
	}
	ph := r.Phases.Micros()
	p := func(i int) int64 { return min(int64(ph[i]), maxMicros) }
	return [sampleParams]int64{int64(r.Start / us), lat<<32 | svc,
		min(max(r.Bytes, 0), maxBytes) | int64(min(r.Step, maxStep))<<stepShift, small,
		p(0)<<halfShift | p(1), p(2)<<halfShift | p(3), p(4) | int64(r.Proto)<<halfShift}
}

// The 3rd value: body bytes (48 bits: 256 TB), a scenario's step above
// (15 bits, so the value stays positive).
const (
	stepShift = 48
	maxBytes  = 1<<stepShift - 1
	maxStep   = 1<<15 - 1
)

// insertSQL is the INSERT of n samples of a run: a VALUES list of packed
// rows, unpacked column by column. Parameters are anonymous (?) because a
// numbered one costs the driver a name lookup per value.
func insertSQL(runID int64, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `INSERT INTO samples (run_id, t_us, latency_us, service_us, endpoint_id,
		status, error_class, bytes, user, reused, step,
		dns_us, connect_us, tls_us, wait_us, read_us, protocol)
	SELECT %d, column1, column2 >> 32, column2 & %d, (column4 >> %d) & %d,
		(column4 >> %d) & %d, %s, column3 & %d, column4 >> %d, column4 & 1, column3 >> %d,
		column5 >> 32, column5 & %d, column6 >> 32, column6 & %d, column7 & %d, %s
	FROM (VALUES `, runID, uint32(1<<32-1), endpointShift, 1<<16-1,
		statusShift, maxStatus, classCase(), int64(maxBytes), userShift, stepShift,
		lowHalf, lowHalf, lowHalf, protoCase("column7 >> 32"))
	row := "(?" + strings.Repeat(",?", sampleParams-1) + ")"
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	b.WriteByte(')')
	return b.String()
}

// classCase maps the packed class back to error_class text, as
// ErrorClass.Name does: NULL for success, http-NNN for HTTP.
func classCase() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CASE (column4 >> %d) & 15 WHEN 0 THEN NULL", classShift)
	for c := load.OK + 1; c <= load.LastClass; c++ {
		if c == load.HTTP {
			fmt.Fprintf(&b, " WHEN %d THEN 'http-' || ((column4 >> %d) & %d)", c, statusShift, maxStatus)
			continue
		}
		fmt.Fprintf(&b, " WHEN %d THEN '%s'", c, c.String())
	}
	b.WriteString(" ELSE 'other' END")
	return b.String()
}

// protoCase maps a packed protocol (the SQL expression v) to
// samples.protocol text: NULL when the request was not sent.
func protoCase(v string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CASE %s", v)
	for p := load.HTTP11; p <= load.HTTP2; p++ {
		fmt.Fprintf(&b, " WHEN %d THEN '%s'", p, p)
	}
	b.WriteString(" END")
	return b.String()
}

// unpack is the inverse of pack.
func unpack(v [sampleParams]int64) load.Sample {
	start, times, bytes, small := v[0], v[1], v[2], v[3]
	half := func(x int64, hi bool) uint32 {
		if hi {
			return uint32(x >> halfShift)
		}
		return uint32(x & lowHalf)
	}
	return load.Sample{
		Start:    time.Duration(start) * us,
		Latency:  time.Duration(times>>32) * us,
		Service:  time.Duration(times&(1<<32-1)) * us,
		Endpoint: uint16(small >> endpointShift),
		Status:   uint16(small>>statusShift) & maxStatus,
		Class:    load.ErrorClass(small>>classShift) & 15,
		Reused:   small&1 != 0,
		User:     uint32(small >> userShift),
		Bytes:    bytes & maxBytes,
		Step:     uint16(bytes >> stepShift),
		Phases: load.PhasesFromMicros([load.PhaseCount]uint32{half(v[4], true), half(v[4], false),
			half(v[5], true), half(v[5], false), half(v[6], false)}),
		Proto: load.Protocol(v[6] >> halfShift),
	}
}

// selectSQL reads a run's samples packed, in recording order. Its
// parameters are the run's range of samples.id and its id. hasStep and
// hasPhases tell whether the file has the columns of 0007 and 0010 (one
// opened read-only from before them lacks them).
func selectSQL(hasStep, hasPhases bool) string {
	var b strings.Builder
	// SQLite gives << and | the same precedence: every shift is bracketed.
	b.WriteString("SELECT t_us, (latency_us << 32) | service_us, ")
	if hasStep {
		fmt.Fprintf(&b, "bytes | (step << %d), ", stepShift)
	} else {
		b.WriteString("bytes, ") // a file opened read-only from before 0007
	}
	fmt.Fprintf(&b, "(user << %d) | (endpoint_id << %d) | (status << %d) | reused | CASE", userShift,
		endpointShift, statusShift)
	b.WriteString(" WHEN error_class IS NULL THEN 0")
	for c := load.OK + 1; c <= load.LastClass; c++ {
		if c == load.HTTP {
			fmt.Fprintf(&b, " WHEN error_class GLOB 'http-*' THEN %d", c<<classShift)
			continue
		}
		fmt.Fprintf(&b, " WHEN error_class = '%s' THEN %d", c.String(), c<<classShift)
	}
	fmt.Fprintf(&b, " ELSE %d END", load.Other<<classShift)
	if hasPhases {
		fmt.Fprintf(&b, ", (dns_us << %d) | connect_us, (tls_us << %d) | wait_us, read_us | (CASE protocol", halfShift, halfShift)
		for p := load.HTTP11; p <= load.HTTP2; p++ {
			fmt.Fprintf(&b, " WHEN '%s' THEN %d", p, int64(p)<<halfShift)
		}
		b.WriteString(" ELSE 0 END)")
	} else {
		b.WriteString(", 0, 0, 0")
	}
	b.WriteString(" FROM samples WHERE id BETWEEN ? AND ? AND run_id = ? ORDER BY id")
	return b.String()
}
