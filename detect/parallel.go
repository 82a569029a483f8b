package detect

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// inParallel calls do(state, lo, hi) over [0, n) in chunks of chunk
// indices, on runtime.GOMAXPROCS(0) goroutines that take the next chunk
// when done with one; each goroutine has its own state from newState.
// do must write only to slots of its own range, so that the result does
// not depend on which goroutine did which chunk.
func inParallel[S any](n, chunk int, newState func() S, do func(st S, lo, hi int)) {
	if n <= 0 {
		return
	}
	workers := min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk)
	if workers <= 1 {
		do(newState(), 0, n)
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			st := newState()
			for {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				do(st, lo, min(lo+chunk, n))
			}
		})
	}
	wg.Wait()
}
