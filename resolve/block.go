package resolve

import (
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
	blocks := map[uint64][]int32{}
	for i, hs := range hashed {
		for _, h := range hs {
			blocks[h] = append(blocks[h], int32(i))
		}
	}
	keys := make([]uint64, 0, len(blocks))
	for k, ids := range blocks {
		if len(ids) > 1 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	// Pairs as a<<32|b, sorted and made unique: far cheaper than a set
	// when there are millions of them. Block members are in record order,
	// so a < b within a block. Pairs go into one bucket per CPU by the
	// range of a, counted first so that no bucket grows by copying, then
	// sorted on every CPU; the buckets in order are the sorted whole.
	nb := runtime.GOMAXPROCS(0)
	bucketOf := func(a int32) int { return int(int64(a) * int64(nb) / int64(len(recs))) }
	capped := 0
	emit := func(fn func(a, b int32)) {
		for _, k := range keys {
			ids := blocks[k]
			if len(ids) > maxBlock {
				continue
			}
			if isNew != nil && !slices.ContainsFunc(ids, func(i int32) bool { return isNew[i] }) {
				continue
			}
			for x := 0; x < len(ids); x++ {
				for y := x + 1; y < len(ids); y++ {
					a, b := ids[x], ids[y]
					if isNew != nil && !isNew[a] && !isNew[b] {
						continue
					}
					fn(a, b)
				}
			}
		}
	}
	for _, k := range keys {
		if len(blocks[k]) > maxBlock {
			capped++
		}
	}
	counts := make([]int, nb)
	emit(func(a, _ int32) { counts[bucketOf(a)]++ })
	buckets := make([][]uint64, nb)
	for i := range buckets {
		buckets[i] = make([]uint64, 0, counts[i])
	}
	emit(func(a, b int32) {
		k := bucketOf(a)
		buckets[k] = append(buckets[k], uint64(a)<<32|uint64(b))
	})
	var wg sync.WaitGroup
	for i := range buckets {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			slices.Sort(buckets[i])
			buckets[i] = slices.Compact(buckets[i])
		}(i)
	}
	wg.Wait()
	total := 0
	for _, b := range buckets {
		total += len(b)
	}
	out := make([]pair, 0, total)
	for i, b := range buckets {
		for _, k := range b {
			out = append(out, pair{int(k >> 32), int(k & 0xffffffff)})
		}
		buckets[i] = nil
	}
	return out, capped
}
