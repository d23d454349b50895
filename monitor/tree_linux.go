package monitor

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"sync"
	"syscall"
)

// childTable lists children through /proc/<pid>/task/<tid>/children: a few
// small reads per process of the target's tree, where a pass over every
// /proc/*/stat costs three system calls per process on the machine. Kernels
// without CONFIG_PROC_CHILDREN get the full pass.
func childTable(_ context.Context) func(pid int32) []int32 {
	if hasTaskChildren() {
		return taskChildren
	}
	return scanParents()
}

var hasTaskChildren = sync.OnceValue(func() bool {
	pid := strconv.Itoa(os.Getpid())
	_, err := os.Stat("/proc/" + pid + "/task/" + pid + "/children")
	return err == nil
})

// taskChildren reads the children of every thread of pid: a child hangs
// off the thread that forked it. The kernel warns the list may miss a child
// forked or reaped during the read; procGroup keeps a missed member's CPU
// baseline, so such a miss costs one tick's share, not a spike.
func taskChildren(pid int32) []int32 {
	dir := "/proc/" + strconv.Itoa(int(pid)) + "/task/"
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	tids, _ := d.Readdirnames(-1)
	d.Close()
	var out []int32
	buf := make([]byte, 4096)
	for _, tid := range tids {
		b, err := readSmall(dir+tid+"/children", buf)
		if err != nil {
			continue
		}
		buf = b[:cap(b)]
		for _, f := range bytes.Fields(b) {
			if c, err := strconv.ParseInt(string(f), 10, 32); err == nil {
				out = append(out, int32(c))
			}
		}
	}
	return out
}

// scanParents reads every process's parent in one pass over /proc/*/stat.
func scanParents() func(pid int32) []int32 {
	kids := map[int32][]int32{}
	d, err := os.Open("/proc")
	if err != nil {
		return func(int32) []int32 { return nil }
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	buf := make([]byte, 512)
	for _, name := range names {
		pid, err := strconv.ParseInt(name, 10, 32)
		if err != nil {
			continue
		}
		if _, ppid, ok := readStat(name, buf); ok {
			kids[ppid] = append(kids[ppid], int32(pid))
		}
	}
	return func(pid int32) []int32 { return kids[pid] }
}

// zombie says whether pid has exited but was not reaped by its parent yet:
// its /proc entry remains, with state Z.
func zombie(pid int32) bool {
	state, _, ok := readStat(strconv.Itoa(int(pid)), make([]byte, 512))
	return ok && state == 'Z'
}

// readStat reads the state and parent from /proc/<pid>/stat: "pid (comm)
// state ppid ...", where comm may hold spaces and parentheses, so parse from
// the last ')'.
func readStat(pid string, buf []byte) (state byte, ppid int32, ok bool) {
	b, err := readSmall("/proc/"+pid+"/stat", buf)
	if err != nil {
		return 0, 0, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, false
	}
	fields := bytes.Fields(b[i+1:])
	if len(fields) < 2 || len(fields[0]) != 1 {
		return 0, 0, false
	}
	p, err := strconv.ParseInt(string(fields[1]), 10, 32)
	return fields[0][0], int32(p), err == nil
}

// readSmall reads a whole /proc file with plain system calls: os.Open would
// add a poller registration and fcntl calls, which /proc files do not need.
// It grows buf as needed and returns the filled part.
func readSmall(path string, buf []byte) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	n := 0
	for {
		if n == len(buf) {
			buf = append(buf, make([]byte, len(buf))...)
		}
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if m == 0 {
			return buf[:n], nil
		}
		n += m
	}
}
