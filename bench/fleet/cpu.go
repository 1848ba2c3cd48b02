package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, the unit of /proc's CPU times: 100 on every
// Linux architecture Go runs on.
const clockTicks = 100

// cpuSample is the CPU time used so far by the machine and by the
// processes of a run (Linux /proc, in clock ticks).
type cpuSample struct {
	total, idle int64   // every CPU, from /proc/stat
	cp, bench   int64   // the control plane, this process
	edges       []int64 // each edge process
}

// takeCPU reads the machine's and each process's CPU time. A process
// that cannot be read counts 0: the split then shows it as "other".
func takeCPU(cp *proc, edges []*proc) cpuSample {
	var s cpuSample
	s.total, s.idle = machineCPU()
	s.cp = procCPU(cp.cmd.Process.Pid)
	s.bench = procCPU(os.Getpid())
	for _, e := range edges {
		s.edges = append(s.edges, procCPU(e.cmd.Process.Pid))
	}
	return s
}

// machineCPU sums the first line of /proc/stat: all time, and idle
// (idle and iowait).
func machineCPU() (total, idle int64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return 0, 0
	}
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i >= 8 { // guest times are already in user and nice
			break
		}
		total += n
		if i == 3 || i == 4 {
			idle += n
		}
	}
	return total, idle
}

// procCPU is a process's user and system time (all its threads).
func procCPU(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s
}

// cpuSplit formats where the machine's CPU went between a and b, in
// cores (1.00 = one CPU busy the whole time): the control plane, the
// edges (all, and the busiest), this process (its API clients, and the
// simulated edges in sim mode), everything else, and idle.
func cpuSplit(a, b cpuSample, secs float64) string {
	if secs <= 0 || b.total <= a.total {
		return "n/a"
	}
	cores := func(ticks int64) float64 { return float64(ticks) / clockTicks / secs }
	var edges int64
	var per []int64
	for i := range min(len(a.edges), len(b.edges)) {
		d := b.edges[i] - a.edges[i]
		edges += d
		per = append(per, d)
	}
	busy := (b.total - a.total) - (b.idle - a.idle)
	cp, bench := b.cp-a.cp, b.bench-a.bench
	other := busy - cp - bench - edges
	s := fmt.Sprintf("control plane %.2f, bench %.2f", cores(cp), cores(bench))
	if len(per) > 0 {
		slices.Sort(per)
		s += fmt.Sprintf(", edges %.2f (median %.3f, max %.3f)", cores(edges), cores(per[len(per)/2]), cores(per[len(per)-1]))
	}
	return s + fmt.Sprintf(", other %.2f, idle %.2f cores", cores(max(other, 0)), cores((b.idle-a.idle)))
}
