package resolve_test

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/filoproject/filo/casefolder"
	"github.com/filoproject/filo/resolve"
	"github.com/filoproject/filo/synth"
)

// BenchmarkResolveSynth1M resolves the party records of a synthetic world
// of about a million of them (scale 10.6), with the heap in use after it.
//
//	go test ./resolve -run XXX -bench ResolveSynth1M -benchtime 1x
func BenchmarkResolveSynth1M(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "w")
	if _, err := synth.Generate(context.Background(), dir, synth.Config{Seed: 1, Scale: 10.6}); err != nil {
		b.Fatal(err)
	}
	c, err := casefolder.Load(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(c.Parties)), "parties")
	b.ResetTimer()
	for b.Loop() {
		if _, err := resolve.Resolve(context.Background(), resolve.Input{Parties: c.Parties}, resolve.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MiB-heap-after")
}
