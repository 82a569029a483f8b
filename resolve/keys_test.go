package resolve

import (
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/normalize"
)

// compareValues is compare as it was before keys: field values compared
// as strings, every test run in full.
func compareValues(a, b *record) vector {
	exact := func(x, y string) int8 {
		switch {
		case x == "" || y == "":
			return -1
		case x == y:
			return 1
		}
		return 0
	}
	var v vector
	if a.nameKey == b.nameKey && a.nameKey != "" {
		v[fName] = nameExact
	} else {
		v[fName] = nameLevel(a, b)
	}
	v[fDOB] = dobLevel(a.dob, b.dob)
	v[fPhone] = exact(a.phone, b.phone)
	v[fEmail] = exact(a.email, b.email)
	switch {
	case a.idn == "" || b.idn == "":
		v[fID] = -1
	case a.idn == b.idn:
		v[fID] = 2
	case oneEdit(a.idn, b.idn):
		v[fID] = 1
	}
	v[fAddr] = -1
	if len(a.addr) > 0 && len(b.addr) > 0 {
		v[fAddr] = 0
		if normalize.Jaccard(a.addr, b.addr) >= 0.7 && sameNumbers(a.addr, b.addr) {
			v[fAddr] = 1
		}
	}
	v[fCountry] = exact(a.country, b.country)
	return v
}

// someParties mixes values that are equal, one slip apart, reordered,
// swapped or merely alike, so that every shortcut of compare is taken and
// every one is refused somewhere.
func someParties(n int) []filo.Party {
	names := []string{"Maria Cristina Dela Cruz", "CRUZ, Ma. Cristina dela", "Cristina Cruz", "Nguyễn Văn Hùng", "Hung Nguyen Van",
		"Nguyen Hung", "Catherine Schmidt", "Kathryn Smith", "Giuseppe Verdi", "Giusepe Verdi", "Peppe Verdi", "Bob Smith",
		"Robert Smith", "J Smith", "John Smith", "", "Anna Maria Rossi", "Rossi Anna", "Ana Rosi", "Mr. Li Wei", "Wei Li"}
	dobs := []string{"1980-01-02", "1980-02-01", "1980-01-03", "1981-01-02", "1980/01/02", "", "1980-1-2", "02.01.1980", "1980-01-02 "}
	phones := []string{"+39 347 1234567", "347 123 4567", "", "+1 555 106 6899", "(555) 106-6899", "+84 90 123 4567"}
	emails := []string{"a.b@gmail.com", "ab+x@gmail.com", "A.B@GMAIL.COM", "x@y.org", "", "not an address"}
	idns := []string{"AB1234567", "AB1234576", "AB123456", "AB1234568", "BA1234567", "CD7654321", "", "ab-123 4567", "AB12345678", "A"}
	addrs := []string{"12 Le Loi, Hue", "12 Le Loi Hue", "14 Le Loi Hue", "Hauptstrasse 5 Berlin", "Haupt Street 5 Berlin",
		"48 Pine St", "88 Pine St", "48 Pine Street Springfield", "Apt 3 12 Via Roma", "12 Via Roma", "Via Roma", "", "Springfield"}
	countries := []string{"IT", "VN", "DE", "US", ""}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	ps := make([]filo.Party, n)
	for i := range ps {
		ps[i] = filo.Party{FullName: pick(names), BirthDate: pick(dobs), Phone: pick(phones), Email: pick(emails),
			IDNumber: pick(idns), Address: pick(addrs), Country: pick(countries)}
	}
	return ps
}

// prepared is the records and keys a resolution would compare.
func prepared(ps []filo.Party) ([]record, []keys) {
	var phones normalize.PhoneCache
	recs := make([]record, len(ps))
	for i := range ps {
		recs[i] = prepare(&ps[i], &phones)
	}
	return recs, makeKeys(recs)
}

// TestCompareByKeysAgreesWithValues: keys, their shortcuts and the
// remembered name levels only save work; every pair gets the vector the
// values give.
func TestCompareByKeysAgreesWithValues(t *testing.T) {
	ps := someParties(400)
	recs, ks := prepared(ps)
	names := nameLevels{}
	for i := range recs {
		for j := range recs {
			want := compareValues(&recs[i], &recs[j])
			if got := compare(&ks[i], &ks[j], &recs[i], &recs[j]); got != want {
				t.Fatalf("compare(%+v, %+v) = %v, values give %v", ps[i], ps[j], got, want)
			}
			if got := compareWith(names, &ks[i], &ks[j], &recs[i], &recs[j]); got != want {
				t.Fatalf("compareWith(%+v, %+v) = %v, values give %v", ps[i], ps[j], got, want)
			}
		}
	}
}

// TestKeysTellValuesApart: ids are equal exactly when the values are.
func TestKeysTellValuesApart(t *testing.T) {
	ps := someParties(300)
	recs, ks := prepared(ps)
	for i := range recs {
		for j := range recs {
			a, b := &recs[i], &recs[j]
			ka, kb := &ks[i], &ks[j]
			for _, f := range []struct {
				name   string
				x, y   int32
				values bool
			}{
				{"name", ka.name, kb.name, a.nameKey == b.nameKey},
				{"phone", ka.phone, kb.phone, a.phone == b.phone},
				{"email", ka.email, kb.email, a.email == b.email},
				{"id number", ka.idn, kb.idn, a.idn == b.idn},
				{"country", ka.country, kb.country, a.country == b.country},
				{"address", ka.addr, kb.addr, slices.Equal(a.addr, b.addr)},
				{"home", a.home, b.home, len(a.addr) < 2 && len(b.addr) < 2 || len(a.addr) >= 2 && len(b.addr) >= 2 &&
					a.country == b.country && strings.Join(a.addr, " ") == strings.Join(b.addr, " ")},
			} {
				if (f.x == f.y) != f.values {
					t.Errorf("%s: ids %d and %d for %+v and %+v", f.name, f.x, f.y, ps[i], ps[j])
				}
			}
		}
	}
}

func TestCodesOrderAsVectors(t *testing.T) {
	var all []vector
	var walk func(v vector, f int)
	walk = func(v vector, f int) {
		if f == nFields {
			all = append(all, v)
			return
		}
		for l := -1; l < len(levelNames[f]); l++ {
			v[f] = int8(l)
			walk(v, f+1)
		}
	}
	walk(vector{}, 0)
	if len(all) != nCodes || nCodes > 1<<16 {
		t.Fatalf("%d vectors, %d codes", len(all), nCodes)
	}
	for i, v := range all {
		// all is in lexical order of levels, which codes must keep.
		if c := v.code(); int(c) != i || c.vector() != v {
			t.Fatalf("vector %v: code %d, back %v; want code %d", v, c, c.vector(), i)
		}
	}
}

// blockingKeys are the blocking keys blockHashes hashes, made as strings.
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

// TestBlockHashesHashTheKeys: the keys hashed piece by piece hash as the
// keys made whole, in the same order.
func TestBlockHashesHashTheKeys(t *testing.T) {
	recs, _ := prepared(someParties(300))
	var hs []uint64
	var sounds []string
	for i := range recs {
		var want []uint64
		for _, k := range blockingKeys(&recs[i]) {
			want = append(want, fnv64(k))
		}
		if hs, sounds = blockHashes(&recs[i], hs[:0], sounds); !slices.Equal(hs, want) {
			t.Fatalf("record %d: hashes %x, want %x", i, hs, want)
		}
	}
}

// TestPartnersAreEveryPairOnce: a record's partners are the records after
// it that share a blocking key with it in a block of maxBlock records at
// most, each once; with new records marked, only those of pairs with a new
// record.
func TestPartnersAreEveryPairOnce(t *testing.T) {
	recs, _ := prepared(someParties(300))
	const maxBlock = 40
	byKey := map[uint64][]int32{}
	for i := range recs {
		seen := map[uint64]bool{}
		for _, k := range blockingKeys(&recs[i]) {
			if h := fnv64(k); !seen[h] {
				seen[h] = true
				byKey[h] = append(byKey[h], int32(i))
			}
		}
	}
	someNew := make([]bool, len(recs))
	for i := range someNew {
		someNew[i] = i%7 == 3
	}
	for _, tt := range []struct {
		name  string
		isNew []bool
	}{{"all", nil}, {"some new", someNew}} {
		t.Run(tt.name, func(t *testing.T) {
			want := map[[2]int32]bool{}
			wantCapped := 0
			for _, ms := range byKey {
				if len(ms) > maxBlock {
					wantCapped++
					continue
				}
				for x := range ms {
					for _, b := range ms[x+1:] {
						if a := ms[x]; tt.isNew == nil || tt.isNew[a] || tt.isNew[b] {
							want[[2]int32{a, b}] = true
						}
					}
				}
			}
			bl, capped := candidateBlocks(recs, maxBlock, tt.isNew)
			if capped != wantCapped || capped == 0 {
				t.Errorf("%d blocks capped, want %d (and some)", capped, wantCapped)
			}
			got := map[[2]int32]bool{}
			var buf []int32
			seen := make([]int32, len(recs))
			for a := range int32(len(recs)) {
				buf = bl.partners(a, tt.isNew, buf[:0], seen)
				sorted := slices.Sorted(slices.Values(buf))
				if len(slices.Compact(sorted)) != len(buf) || len(buf) > 0 && sorted[0] <= a {
					t.Fatalf("partners of %d: %v, not after it and once each", a, buf)
				}
				for _, b := range buf {
					got[[2]int32{a, b}] = true
				}
			}
			if len(want) == 0 || !maps.Equal(got, want) {
				t.Errorf("%d pairs, want %d", len(got), len(want))
			}
		})
	}
}

// TestCompareAllIsTheSerialComparison: however the records are shared
// out among the CPUs, the counts and the candidates are those of comparing
// every pair in turn.
func TestCompareAllIsTheSerialComparison(t *testing.T) {
	recs, ks := prepared(someParties(300))
	bl, _ := candidateBlocks(recs, 40, nil)
	var want, got []candidate
	wantHist, wantPairs := make([]float64, nCodes), 0
	seen := make([]int32, len(recs))
	for a := range int32(len(recs)) {
		for _, b := range bl.partners(a, nil, nil, seen) {
			c := compare(&ks[a], &ks[b], &recs[a], &recs[b]).code()
			wantHist[c]++
			wantPairs++
			if c.vector().nameAgrees() {
				want = append(want, candidate{a, b, c})
			}
		}
	}
	if len(want) == 0 || len(want) == wantPairs {
		t.Fatalf("%d candidates of %d pairs: the test needs some of each", len(want), wantPairs)
	}
	for _, run := range []int{1, 7, 1024} {
		cmp := compareAll(recs, ks, bl, nil, run)
		got = got[:0]
		for _, cs := range cmp.candidates {
			k := 0
			for i, end := range cs.end {
				for ; k < int(end); k++ {
					got = append(got, candidate{cs.first + int32(i), cs.b[k], cs.codes[k]})
				}
			}
		}
		if cmp.pairs != wantPairs || !slices.Equal(cmp.hist, wantHist) || !slices.Equal(got, want) {
			t.Errorf("in runs of %d records: %d pairs, %d candidates; want %d, %d", run, cmp.pairs, len(got), wantPairs, len(want))
		}
	}
}

// candidate is one candidate pair, unpacked for comparing.
type candidate struct {
	a, b int32
	code code
}
