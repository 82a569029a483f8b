package resolve_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/resolve"
	"github.com/filoproject/filo/sqlite"
)

// TestResolveStoredCaseMemory resolves the parties of a stored case as a
// full scan does, and logs the peak heap during the resolution, the heap
// the result keeps, and a hash of the result (to tell a change of output
// from a change of speed). FILO_RESOLVE_DB names a copy of a store (it is
// opened for writing); FILO_RESOLVE_HEAP, if set, gets a heap profile
// taken with the result still held.
//
//	FILO_RESOLVE_DB=/tmp/m1.db go test ./resolve -run StoredCaseMemory -v -timeout 30m
func TestResolveStoredCaseMemory(t *testing.T) {
	path := os.Getenv("FILO_RESOLVE_DB")
	if path == "" {
		t.Skip("FILO_RESOLVE_DB names no store")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.LoadCase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	prev, err := st.Entities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := resolve.Input{Parties: c.Parties, PlatformAccounts: c.PlatformAccounts, Previous: prev}
	c.Transactions, c.Sessions = filo.Transactions{}, filo.Sessions{} // not the resolution's

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak, stop := heapPeak()
	t0 := time.Now()
	res, err := resolve.Resolve(ctx, in, resolve.Options{Full: true})
	took := time.Since(t0)
	stop()
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if p := os.Getenv("FILO_RESOLVE_HEAP"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := pprof.WriteHeapProfile(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	const mib = 1 << 20
	t.Logf("%d parties, %d pairs, %d entities, %d links in %v", len(in.Parties), res.Pairs, len(res.Entities), len(res.Links), took)
	t.Logf("heap before %d MiB, peak %d MiB (+%d), kept %d MiB (+%d); allocated %d MiB in %d objects, %d GCs",
		before.HeapAlloc/mib, *peak/mib, (*peak-before.HeapAlloc)/mib, after.HeapAlloc/mib, int64(after.HeapAlloc-before.HeapAlloc)/mib,
		(after.TotalAlloc-before.TotalAlloc)/mib, after.Mallocs-before.Mallocs, after.NumGC-before.NumGC)
	t.Logf("result hash %s", resultHash(t, res))
	runtime.KeepAlive(res)
}

// heapPeak samples the live heap until stop is called; *peak is the most
// it saw.
func heapPeak() (peak *uint64, stop func()) {
	peak = new(uint64)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return peak, func() { close(done); wg.Wait() }
}

// resultHash hashes all a resolution gives, the record-to-entity map in
// record order.
func resultHash(t *testing.T, res *resolve.Result) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, v := range []any{res.Entities, res.Links, res.State, res.Model, res.Pairs, res.Capped} {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	refs := make([]filo.RecordRef, 0, len(res.EntityOf))
	for r := range res.EntityOf {
		refs = append(refs, r)
	}
	slices.SortFunc(refs, func(x, y filo.RecordRef) int { return strings.Compare(x.String(), y.String()) })
	for _, r := range refs {
		h.Write([]byte(r.String() + "=" + res.EntityOf[r] + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
