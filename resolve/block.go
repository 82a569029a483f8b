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

// pairs are the candidate pairs, filed by their first record: a's pairs
// are (a, b) for the b in partners[at[a]:], ascending, and are numbered
// from first[a] on. Tens of millions of them are never unpacked into
// (a, b) structs.
type pairs struct {
	first    []int // first[len(recs)] is how many pairs there are
	at       []int
	partners []int32
}

func (ps *pairs) len() int { return ps.first[len(ps.first)-1] }

// each gives pairs lo to hi-1 in order, a run of one first record at a
// time: pair k is (a, bs[k-from]).
func (ps *pairs) each(lo, hi int, fn func(from int, a int32, bs []int32)) {
	a := sort.Search(len(ps.first)-1, func(a int) bool { return ps.first[a+1] > lo })
	for k := lo; k < hi; a++ {
		end := min(hi, ps.first[a+1])
		fn(k, int32(a), ps.partners[ps.at[a]+k-ps.first[a]:ps.at[a]+end-ps.first[a]])
		k = end
	}
}

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
func candidatePairs(recs []record, maxBlock int, isNew []bool) (*pairs, int) {
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

	// A pair is found once per key its records share, twice on average.
	// Each CPU walks the blocks of its key bucket and files b under a (a
	// < b: block members are in record order); counted first, so that
	// every record's partners have their own stretch of one array and
	// each CPU its own part of that stretch. Each record's partners are
	// then sorted and made unique on their own, a few dozen numbers at a
	// time, rather than sorting a hundred million pairs.
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
	// eachFirst gives each member of each block that is compared, with
	// the members after it.
	eachFirst := func(w int, fn func(a int32, rest []entry)) {
		eachBlock(w, func(ids []entry) {
			if len(ids) < 2 || len(ids) > maxBlock {
				return
			}
			if isNew != nil && !slices.ContainsFunc(ids, func(e entry) bool { return isNew[e.i] }) {
				return
			}
			for x := range ids {
				fn(ids[x].i, ids[x+1:])
			}
		})
	}
	wanted := func(a int32, b entry) bool { return isNew == nil || isNew[a] || isNew[b.i] }
	counts := make([][]int32, nb) // [key bucket][a]
	cappedBy := make([]int, nb)
	onEveryCPU(nb, func(w int) {
		c := make([]int32, len(recs))
		eachBlock(w, func(ids []entry) {
			if len(ids) > maxBlock {
				cappedBy[w]++
			}
		})
		eachFirst(w, func(a int32, rest []entry) {
			if isNew == nil {
				c[a] += int32(len(rest))
				return
			}
			for _, b := range rest {
				if wanted(a, b) {
					c[a]++
				}
			}
		})
		counts[w] = c
	})
	capped := 0
	for _, c := range cappedBy {
		capped += c
	}
	// start[a] is where a's partners begin; next[w][a] where key bucket w
	// writes its next one.
	start := make([]int, len(recs)+1)
	next := make([][]int, nb)
	for w := range next {
		next[w] = make([]int, len(recs))
	}
	for a := range recs {
		at := start[a]
		for w := range nb {
			next[w][a] = at
			at += int(counts[w][a])
		}
		start[a+1] = at
	}
	counts = nil
	partners := make([]int32, start[len(recs)])
	onEveryCPU(nb, func(w int) {
		at := next[w]
		eachFirst(w, func(a int32, rest []entry) {
			for _, b := range rest {
				if wanted(a, b) {
					partners[at[a]] = b.i
					at[a]++
				}
			}
		})
	})
	entries, next = nil, nil
	first := make([]int, len(recs)+1)
	parallel(len(recs), func(lo, hi int) {
		for a := lo; a < hi; a++ {
			ps := partners[start[a]:start[a+1]]
			slices.Sort(ps)
			first[a+1] = len(slices.Compact(ps))
		}
	})
	for a := range recs {
		first[a+1] += first[a]
	}
	return &pairs{first: first, at: start[:len(recs)], partners: partners}, capped
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
