package traces

import (
	"sync"
	"sync/atomic"
)

// chunks splits [0, n) into at most workers contiguous ranges of nearly
// equal size, in order; none is empty.
func chunks(n, workers int) [][2]int {
	workers = max(1, min(workers, n))
	out := make([][2]int, 0, workers)
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		if lo < hi {
			out = append(out, [2]int{lo, hi})
		}
	}
	return out
}

// inChunks runs fn on each of chunks(n, workers), each in its own
// goroutine, and returns when all are done. fn is told which chunk it has,
// so that it can leave its result where joining the chunks in order gives
// what one pass over [0, n) would have.
func inChunks(n, workers int, fn func(chunk, lo, hi int)) {
	cs := chunks(n, workers)
	if len(cs) == 1 {
		fn(0, cs[0][0], cs[0][1])
		return
	}
	var wg sync.WaitGroup
	for k, c := range cs {
		wg.Go(func() { fn(k, c[0], c[1]) })
	}
	wg.Wait()
}

// forEach calls fn(i) for every i in [0, n) over workers goroutines that
// take the next block of indices as they come free: for work whose cost
// varies from item to item, where fixed chunks would leave one worker
// waiting for the other.
func forEach(n, workers int, fn func(i int)) {
	const block = 64
	if workers <= 1 || n <= block {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				lo := int(next.Add(block)) - block
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+block, n); i++ {
					fn(i)
				}
			}
		})
	}
	wg.Wait()
}
