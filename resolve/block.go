package resolve

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/filoproject/filo/normalize"
)

// blockHashes appends to hs the 64-bit FNV-1a hashes of r's blocking
// keys: records that share a key are compared. Strong identifiers, then
// name keys that survive diacritics, typos and reordering; each narrowed
// by another field where a name alone would make blocks huge. The keys
// are hashed piece by piece rather than made: a few million records have
// tens of millions of them. sounds is room for the name's sounds.
func blockHashes(r *record, hs []uint64, sounds []string) ([]uint64, []string) {
	kind := "p"
	if r.org {
		kind = "o"
	}
	key := func(tag string) fnvHash { return fnvHash(fnvOffset).add(kind).add(tag) }
	if r.phone != "" {
		hs = append(hs, uint64(key("t:").add(r.phone)))
	}
	if r.email != "" {
		hs = append(hs, uint64(key("e:").add(r.email)))
	}
	if r.idn != "" {
		hs = append(hs, uint64(key("i:").add(r.idn)))
	}
	if r.nameKey != "" {
		hs = append(hs, uint64(key("n:").add(r.nameKey)))
	}
	sounds = sounds[:0]
	for _, t := range r.name.Tokens {
		if len(t) >= 2 {
			sounds = append(sounds, normalize.Phonetic(t))
		}
	}
	sort.Strings(sounds)
	if len(sounds) > 0 {
		h := key("s:").add(r.country).add(":")
		for i, s := range sounds {
			if i > 0 {
				h = h.add(" ")
			}
			h = h.add(s)
		}
		hs = append(hs, uint64(h))
	}
	if r.dob != "" {
		for _, s := range sounds {
			hs = append(hs, uint64(key("d:").add(r.dob).add(":").add(s)))
		}
	}
	// Pairs of tokens: a typo in one token or a dropped middle name still
	// leaves two tokens in common.
	for i := 0; i < len(r.name.Tokens); i++ {
		for j := i + 1; j < len(r.name.Tokens); j++ {
			a, b := r.name.Tokens[i], r.name.Tokens[j]
			if len(a) > 1 && len(b) > 1 {
				hs = append(hs, uint64(key("2:").add(a).add(" ").add(b)))
			}
		}
	}
	return hs, sounds
}

// fnvHash is a 64-bit FNV-1a hash under way: adding strings one after
// another hashes them joined.
type fnvHash uint64

const fnvOffset = 14695981039346656037

func (h fnvHash) add(s string) fnvHash {
	for i := 0; i < len(s); i++ {
		h ^= fnvHash(s[i])
		h *= 1099511628211
	}
	return h
}

func fnv64(s string) uint64 { return uint64(fnvHash(fnvOffset).add(s)) }

// blocks are the groups of records that share a blocking key and are
// compared pair by pair, kept so that each record can list its partners
// when it is compared: the pairs themselves, a hundred million or more in
// a large case (found once per key the two share), are never stored.
type blocks struct {
	// members holds each block's records back to back, in record order.
	members []int32
	// Record a's places in the blocks are places[start[a]:start[a+1]]:
	// members[p.at] is a, and its block ends before p.end.
	start  []int32
	places []place
}

type place struct{ at, end int32 }

// partners appends to buf the records b > a that share a block with a
// (with isNew given, only those where a or b is new), once each, in the
// order of a's blocks. seen, one per caller and as long as the records,
// marks what was listed for a: a record shares several blocks with most
// of its partners, and marking is cheaper than sorting them out.
func (bl *blocks) partners(a int32, isNew []bool, buf, seen []int32) []int32 {
	for _, p := range bl.places[bl.start[a]:bl.start[a+1]] {
		for _, b := range bl.members[p.at+1 : p.end] {
			if seen[b] != a+1 && (isNew == nil || isNew[a] || isNew[b]) {
				seen[b] = a + 1
				buf = append(buf, b)
			}
		}
	}
	return buf
}

// candidateBlocks returns the blocks of records sharing a blocking key, and
// how many blocks were larger than maxBlock and skipped.
//
// With isNew given, only blocks with a new record are kept.
func candidateBlocks(recs []record, maxBlock int, isNew []bool) (*blocks, int) {
	if len(recs) > math.MaxInt32 {
		panic("resolve: more records than blocks can number")
	}
	// Keys are hashed on every CPU and kept as 64-bit FNV-1a hashes: a
	// collision only adds pairs to compare, never loses one. Each stretch
	// of records keeps its hashes in one array.
	hashed := make([][]uint64, len(recs))
	parallel(len(recs), func(lo, hi int) {
		var hs []uint64
		var sounds []string
		ends := make([]int, 0, hi-lo)
		for i := lo; i < hi; i++ {
			hs, sounds = blockHashes(&recs[i], hs, sounds)
			ends = append(ends, len(hs))
		}
		from := 0
		for i, end := range ends {
			hashed[lo+i] = hs[from:end:end]
			from = end
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
	// Each bucket sorts its entries, and keeps the members of the blocks
	// that are compared, counted first so that every bucket has its own
	// stretch of one array.
	compared := func(ids []entry) bool {
		return len(ids) >= 2 && len(ids) <= maxBlock &&
			(isNew == nil || slices.ContainsFunc(ids, func(e entry) bool { return isNew[e.i] }))
	}
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
	kept := make([]int, nb)
	cappedBy := make([]int, nb)
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
		eachBlock(w, func(ids []entry) {
			switch {
			case len(ids) > maxBlock:
				cappedBy[w]++
			case compared(ids):
				kept[w] += len(ids)
			}
		})
	})
	capped := 0
	for _, c := range cappedBy {
		capped += c
	}
	offset := make([]int, nb+1)
	for w := range nb {
		offset[w+1] = offset[w] + kept[w]
	}
	if offset[nb] > math.MaxInt32 {
		panic("resolve: more block members than blocks can number")
	}
	bl := &blocks{members: make([]int32, offset[nb])}
	sizesOf := make([][]int32, nb) // of the compared blocks, in order
	onEveryCPU(nb, func(w int) {
		at := offset[w]
		eachBlock(w, func(ids []entry) {
			if !compared(ids) {
				return
			}
			for _, e := range ids {
				bl.members[at] = e.i
				at++
			}
			sizesOf[w] = append(sizesOf[w], int32(len(ids)))
		})
		entries[w] = nil
	})
	// Every record's places, by walking the blocks: a few sequential
	// passes over tens of millions of numbers.
	bl.start = make([]int32, len(recs)+1)
	for _, m := range bl.members {
		bl.start[m+1]++
	}
	for a := range recs {
		bl.start[a+1] += bl.start[a]
	}
	bl.places = make([]place, len(bl.members))
	next := slices.Clone(bl.start[:len(recs)])
	for w := range nb {
		lo := int32(offset[w])
		for _, size := range sizesOf[w] {
			hi := lo + size
			for k := lo; k < hi; k++ {
				m := bl.members[k]
				bl.places[next[m]] = place{k, hi}
				next[m]++
			}
			lo = hi
		}
	}
	return bl, capped
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
