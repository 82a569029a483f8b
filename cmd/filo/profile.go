package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"

	"github.com/dustin/go-humanize"

	"github.com/filoproject/filo"
)

// setMemoryLimit applies --memory-limit. A scan holds the whole case in
// memory and makes garbage as fast as it reads; without a limit the heap
// may grow to twice what is live before the collector runs.
func (a *app) setMemoryLimit() error {
	if a.memLimit == "" {
		return nil
	}
	n, err := humanize.ParseBytes(a.memLimit)
	if err != nil || n == 0 || n > 1<<62 {
		return filo.Errorf(filo.EINVALID, "--memory-limit %q: want a size such as 7GiB or 8000MB", a.memLimit)
	}
	debug.SetMemoryLimit(int64(n))
	return nil
}

// startProfiles starts the CPU profile that --cpuprofile asks for. Profiles
// are how the speed figures in docs/benchmarks.md are explained, so they
// come from the real command rather than from a test harness.
func (a *app) startProfiles() error {
	if a.cpuProfile == "" {
		return nil
	}
	f, err := os.Create(a.cpuProfile)
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	a.cpuFile = f
	return nil
}

// stopProfiles ends the CPU profile and writes the memory profile, if
// asked: the "allocs" profile, which holds both what the command allocated
// (where a scan's time goes to the collector) and what was in use at its
// end.
func (a *app) stopProfiles() error {
	if a.cpuFile != nil {
		pprof.StopCPUProfile()
		err := a.cpuFile.Close()
		a.cpuFile = nil
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	if a.memProfile == "" {
		return nil
	}
	f, err := os.Create(a.memProfile)
	if err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	return nil
}
