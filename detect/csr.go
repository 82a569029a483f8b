package detect

// csr holds lists of int32 under dense keys 0..n-1 in one array, as a
// map of slices would, without a slice header and allocation per key.
type csr struct {
	start []int32 // list k is items[start[k]:start[k+1]]
	items []int32
}

// of returns list k, capped so that appending to it copies.
func (c *csr) of(k int) []int32 {
	lo, hi := c.start[k], c.start[k+1]
	return c.items[lo:hi:hi]
}

// groupBy lists the indices 0..m-1 under key(i), each list ascending; a
// negative key leaves an index out.
func groupBy(n, m int, key func(i int) int32) csr {
	start := make([]int32, n+1)
	for i := range m {
		if k := key(i); k >= 0 {
			start[k+1]++
		}
	}
	for k := range n {
		start[k+1] += start[k]
	}
	items := make([]int32, start[n])
	next := make([]int32, n)
	copy(next, start)
	for i := range m {
		if k := key(i); k >= 0 {
			items[next[k]] = int32(i)
			next[k]++
		}
	}
	return csr{start: start, items: items}
}

// groupDistinct lists value(i) once under each key that keys(i, emit)
// emits, for i in 0..m-1, in the order of i.
func groupDistinct(n, m int, keys func(i int, emit func(int32)), value func(i int) int32) csr {
	last := make([]int32, n) // the last i listed under a key, + 1
	start := make([]int32, n+1)
	for i := range m {
		keys(i, func(k int32) {
			if last[k] != int32(i)+1 {
				last[k] = int32(i) + 1
				start[k+1]++
			}
		})
	}
	for k := range n {
		start[k+1] += start[k]
	}
	items := make([]int32, start[n])
	next := make([]int32, n)
	copy(next, start)
	clear(last)
	for i := range m {
		v := value(i)
		keys(i, func(k int32) {
			if last[k] != int32(i)+1 {
				last[k] = int32(i) + 1
				items[next[k]] = v
				next[k]++
			}
		})
	}
	return csr{start: start, items: items}
}
