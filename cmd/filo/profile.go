package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

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

// stopProfiles ends the CPU profile and writes the heap profile, if asked.
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
