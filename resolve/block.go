package resolve

import (
	"cmp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/filoproject/filo/normalize"
)

type pair struct{ a, b int }

// blockingKeys: records that share a key are compared. Strong identifiers,
// then name keys that survive diacritics, typos and reordering; each
// narrowed by another field where a name alone would make blocks huge.
func blockingKeys(r *record) []string {
	var keys []string
	kind := "p"
	if r.org {
		kind = "o"
	}
	if r.phone != "" {
		keys = append(keys, kind+"t:"+r.phone)
	}
	if r.email != "" {
		keys = append(keys, kind+"e:"+r.email)
	}
	if r.idn != "" {
		keys = append(keys, kind+"i:"+r.idn)
	}
	if r.nameKey != "" {
		keys = append(keys, kind+"n:"+r.nameKey)
	}
	var sounds []string
	for _, t := range r.name.Tokens {
		if len(t) >= 2 {
			sounds = append(sounds, normalize.Phonetic(t))
		}
	}
	sort.Strings(sounds)
	if len(sounds) > 0 {
		keys = append(keys, kind+"s:"+r.country+":"+strings.Join(sounds, " "))
	}
	if r.dob != "" {
		for _, s := range sounds {
			keys = append(keys, kind+"d:"+r.dob+":"+s)
		}
	}
	// Pairs of tokens: a typo in one token or a dropped middle name still
	// leaves two tokens in common.
	for i := 0; i < len(r.name.Tokens); i++ {
		for j := i + 1; j < len(r.name.Tokens); j++ {
			a, b := r.name.Tokens[i], r.name.Tokens[j]
			if len(a) > 1 && len(b) > 1 {
				keys = append(keys, kind+"2:"+a+" "+b)
			}
		}
	}
	return keys
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// candidatePairs returns every pair sharing a blocking key, once, and how
// many blocks were larger than maxBlock and skipped.
//
// With isNew given, only pairs with at least one new record are made.
func candidatePairs(recs []record, maxBlock int, isNew []bool) ([]pair, int) {
	// Keys are made on every CPU and kept as 64-bit FNV-1a hashes: a
	// collision only adds pairs to compare, never loses one.
	hashed := make([][]uint64, len(recs))
	parallel(len(recs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ks := blockingKeys(&recs[i])
			hs := make([]uint64, len(ks))
			for j, k := range ks {
				hs[j] = fnv64(k)
			}
			hashed[i] = hs
		}
	})
	// Blocks: (key, record) entries spread over one bucket per CPU by the
	// key's top bits and sorted there, so that each key's records lie
	// together and in record order. A sort of flat entries on every CPU
	// is several times cheaper than a map of millions of small slices.
	nb := runtime.GOMAXPROCS(0)
	hashBucket := func(h uint64) int { return int((h >> 32) * uint64(nb) >> 32) }
	type entry struct {
		h uint64
		i int32
	}
	sizes := make([]int, nb)
	for _, hs := range hashed {
		for _, h := range hs {
			sizes[hashBucket(h)]++
		}
	}
	entries := make([][]entry, nb)
	for w := range entries {
		entries[w] = make([]entry, 0, sizes[w])
	}
	for i, hs := range hashed {
		for _, h := range hs {
			w := hashBucket(h)
			entries[w] = append(entries[w], entry{h, int32(i)})
		}
	}
	hashed = nil
	onEveryCPU(nb, func(w int) {
		slices.SortFunc(entries[w], func(a, b entry) int {
			if c := cmp.Compare(a.h, b.h); c != 0 {
				return c
			}
			return cmp.Compare(a.i, b.i)
		})
		// A record with one key twice (two tokens that sound alike) is in
		// its block once.
		entries[w] = slices.Compact(entries[w])
	})

	// Pairs as a<<32|b, sorted and made unique: far cheaper than a set
	// when there are millions of them. Block members are in record order,
	// so a < b within a block. Each CPU walks the blocks of its key bucket
	// and files pairs by the range of a; counted first so that nothing
	// grows by copying, then each range is sorted on its own CPU, and the
	// ranges in order are the sorted whole.
	bucketOf := func(a int32) int { return int(int64(a) * int64(nb) / int64(len(recs))) }
	eachBlock := func(w int, fn func(ids []entry)) {
		es := entries[w]
		for lo := 0; lo < len(es); {
			hi := lo + 1
			for hi < len(es) && es[hi].h == es[lo].h {
				hi++
			}
			fn(es[lo:hi])
			lo = hi
		}
	}
	emit := func(w int, fn func(a, b int32)) {
		eachBlock(w, func(ids []entry) {
			if len(ids) < 2 || len(ids) > maxBlock {
				return
			}
			if isNew != nil && !slices.ContainsFunc(ids, func(e entry) bool { return isNew[e.i] }) {
				return
			}
			for x := 0; x < len(ids); x++ {
				for y := x + 1; y < len(ids); y++ {
					a, b := ids[x].i, ids[y].i
					if isNew != nil && !isNew[a] && !isNew[b] {
						continue
					}
					fn(a, b)
				}
			}
		})
	}
	counts := make([][]int, nb) // [key bucket][range of a]
	cappedBy := make([]int, nb)
	onEveryCPU(nb, func(w int) {
		counts[w] = make([]int, nb)
		eachBlock(w, func(ids []entry) {
			if len(ids) > maxBlock {
				cappedBy[w]++
			}
		})
		emit(w, func(a, _ int32) { counts[w][bucketOf(a)]++ })
	})
	capped := 0
	for _, c := range cappedBy {
		capped += c
	}
	// Each key bucket writes its own segment of each range.
	ranges := make([][]uint64, nb)
	offsets := make([][]int, nb)
	for k := 0; k < nb; k++ {
		total := 0
		offsets[k] = make([]int, nb)
		for w := 0; w < nb; w++ {
			offsets[k][w] = total
			total += counts[w][k]
		}
		ranges[k] = make([]uint64, total)
	}
	onEveryCPU(nb, func(w int) {
		next := make([]int, nb)
		for k := range next {
			next[k] = offsets[k][w]
		}
		emit(w, func(a, b int32) {
			k := bucketOf(a)
			ranges[k][next[k]] = uint64(a)<<32 | uint64(b)
			next[k]++
		})
	})
	entries = nil
	onEveryCPU(nb, func(k int) {
		slices.Sort(ranges[k])
		ranges[k] = slices.Compact(ranges[k])
	})
	total := 0
	for _, r := range ranges {
		total += len(r)
	}
	out := make([]pair, 0, total)
	for k, r := range ranges {
		for _, key := range r {
			out = append(out, pair{int(key >> 32), int(key & 0xffffffff)})
		}
		ranges[k] = nil
	}
	return out, capped
}

// onEveryCPU runs fn(0) … fn(n-1) at once and waits for them.
func onEveryCPU(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i)
		}()
	}
	wg.Wait()
}
