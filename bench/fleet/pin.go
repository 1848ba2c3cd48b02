package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// pin gives the control plane and this process (its API clients) one CPU,
// in both timed runs (with no edge and with the fleet), and the real edges
// the others. On one machine the edges otherwise take their CPU from the
// control plane's cores, so the ratio of the two create rates prices CPU
// sharing between 51 processes as much as what the feed costs the control
// plane; pinned, it is what a control plane with edges on machines of
// their own sees, which is the operator's case the fleet is about. The
// clients stay with the control plane: beside 50 edges on one CPU they
// would be what sets the pace. A PostgreSQL server (-store postgres) is
// not pinned: it runs where the system puts it. Real edges only.
var pin = flag.Bool("pin", false, "real edges only: run the control plane and its API clients on the first CPU, the edges on the others (needs 2 CPUs)")

// pinSets are the CPU sets of -pin: the control plane's (and this
// process's), and the edges'.
var pinSets struct{ controlPlane, rest unix.CPUSet }

// pinSelf moves every thread of this process to the control plane's CPU;
// threads made later, and the processes they start, inherit that. Called
// once, before any process is started.
func pinSelf() error {
	var all unix.CPUSet
	if err := unix.SchedGetaffinity(0, &all); err != nil {
		return fmt.Errorf("-pin: %w", err)
	}
	if all.Count() < 2 {
		return errors.New("-pin: needs at least 2 CPUs")
	}
	first := -1
	for i := 0; i < 1024 && first < 0; i++ {
		if all.IsSet(i) {
			first = i
		}
	}
	pinSets.controlPlane.Set(first)
	pinSets.rest = all
	pinSets.rest.Clear(first)
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return fmt.Errorf("-pin: %w", err)
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := unix.SchedSetaffinity(tid, &pinSets.controlPlane); err != nil && !errors.Is(err, unix.ESRCH) {
			return fmt.Errorf("-pin: thread %d: %w", tid, err)
		}
	}
	return nil
}

// cpuList is set as "0" or "1,2,3".
func cpuList(set *unix.CPUSet) string {
	var s string
	for i, n := 0, 0; n < set.Count(); i++ {
		if set.IsSet(i) {
			if n > 0 {
				s += ","
			}
			s += strconv.Itoa(i)
			n++
		}
	}
	return s
}

// startOn starts cmd on the CPUs of set (nil: where this process runs):
// the child inherits the affinity of the thread that forks it, so that
// thread has set while it does.
func startOn(set *unix.CPUSet, cmd *exec.Cmd) error {
	if set == nil {
		return cmd.Start()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var was unix.CPUSet
	if err := unix.SchedGetaffinity(0, &was); err != nil {
		return err
	}
	if err := unix.SchedSetaffinity(0, set); err != nil {
		return err
	}
	err := cmd.Start()
	if e := unix.SchedSetaffinity(0, &was); e != nil && err == nil {
		err = e
	}
	return err
}
