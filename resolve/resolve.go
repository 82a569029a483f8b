// Package resolve finds the person behind many records: probabilistic
// record linkage in the manner of Fellegi and Sunter (as Splink does it),
// with blocking, comparison levels per field, u estimated from random
// pairs and m by expectation–maximisation on the blocked pairs (no labels),
// a term-frequency adjustment for names, and clustering that refuses to
// chain two different people together. It also finds records that are
// related without being the same person (shared phone or address:
// households, facilitator rings), and honours analysts' judgements.
package resolve

import (
	"cmp"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/internal/steps"
	"github.com/filoproject/filo/normalize"
)

// Input is what a resolution works on.
type Input struct {
	Parties          []filo.Party
	PlatformAccounts []filo.PlatformAccount
	Judgements       []filo.Judgement // analysts' word; undone ones ignored; always override the model
	Previous         []filo.Entity    // the last scan's entities: ids stay stable
	PreviousLinks    []filo.Link      // the last scan's same-person links, kept when resolving incrementally
	State            []byte           // the last scan's model (m and u), used as the starting point
	// Phones is shared with the later stages of a scan, which read the
	// same numbers; nil: one of its own.
	Phones *normalize.PhoneCache
}

// Result is one resolution.
type Result struct {
	Entities []filo.Entity
	Links    []filo.Link
	EntityOf map[filo.RecordRef]string
	State    []byte
	Model    Model
	Pairs    int // candidate pairs compared
	Capped   int // blocks too large to compare, skipped
	// Incremental says the last scan's entities were kept and only the
	// NewRecords parties not in them were compared (with the last model).
	Incremental bool
	NewRecords  int
	// Fields is what resolution read of Input.Parties, for the stages
	// after it that read the same fields.
	Fields normalize.PartyFields
}

// savedState is what a resolution leaves for the next: the model, and a
// fingerprint of the judgements its entities reflect (an analyst's new
// word means resolving everything again).
type savedState struct {
	Model      Model  `json:"model"`
	Judgements string `json:"judgements"`
}

func judgementsFingerprint(js []filo.Judgement) string {
	h := sha256.New()
	for _, j := range js {
		fmt.Fprintf(h, "%d|%s|%s|%v|%v\n", j.ID, j.A, j.B, j.Same, j.Undone)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// loadState reads the state of the last resolution; older stores kept the
// bare model.
func loadState(b []byte) (savedState, bool) {
	var st savedState
	if len(b) == 0 {
		return st, false
	}
	if err := json.Unmarshal(b, &st); err == nil && st.Model.valid() {
		return st, true
	}
	if err := json.Unmarshal(b, &st.Model); err == nil && st.Model.valid() {
		return st, true
	}
	return st, false
}

// Options tune a resolution.
type Options struct {
	// Threshold is the match probability from which two records are the
	// same person; 0 means 0.99999, about 16.6 bits of evidence (a wrong merge
	// is worse than a missed one).
	Threshold float64
	// MaxBlock is the largest block compared pair by pair; 0 means 400.
	MaxBlock int
	// Seed for the random pairs that estimate u.
	Seed uint64
	// Full resolves every record again even when the last scan's entities
	// could be kept and only new records resolved against them.
	Full bool
	// Log, if not nil, is told at debug level how long each step took:
	// on a large case resolution is minutes of work.
	Log *slog.Logger
	// Merges, if not nil, is handed the same-person links between
	// parties (the kept ones, then the model's) as soon as they are
	// made, once or more, in order; Result.Links then holds only the
	// links made after them. A scan saves them while the rest of the
	// resolution runs on one core: written, they are most of a save.
	Merges func([]filo.Link)
}

// maxNewShare is the share of new records above which resolving
// everything again is worth it: the model is re-estimated on the new mix.
const maxNewShare = 0.5

// record is a party reduced for comparison.
type record struct {
	name    normalize.Name
	nameKey string
	dob     string
	phone   string
	email   string
	idn     string
	addr    []string
	country string
	org     bool
	sounds  [][2]string // Double Metaphone codes of the name's tokens
	// home is an id of the country and address, equal exactly when both
	// are, for related links; 0 for fewer than two address tokens.
	home int32
}

// keys is what compare reads of every candidate pair, apart from the rest
// of a record in a dense array: the second record of a pair is anywhere in
// memory, and reading field values scattered over the heap, to tell equal
// from different, was most of the time of comparing tens of millions of
// pairs. Values are ids, equal exactly when the values are; 0 is none.
type keys struct {
	// addrBits has a bit for each address token (by its hash) and addrLen
	// counts them: enough to rule out most words in common without
	// reading the tokens. idnBits has a bit for each character of the
	// document number, enough to rule out most numbers one slip apart.
	addrBits, idnBits                      uint64
	name, phone, email, idn, addr, country int32
	addrLen, idnLen                        int32
	dob                                    [10]byte // when hasDOB: dates of any other length are not compared
	hasDOB                                 bool
}

// makeKeys gives every record its keys. An id is one more than the index
// of the first record with the value, so ids do not depend on scheduling.
func makeKeys(recs []record) []keys {
	ks := make([]keys, len(recs))
	joined := func(buf []byte, ts []string, sep byte) []byte {
		for j, t := range ts {
			if j > 0 {
				buf = append(buf, sep)
			}
			buf = append(buf, t...)
		}
		return buf
	}
	fields := []struct {
		id    func(i int) *int32
		value func(i int, buf []byte) []byte
	}{
		// Address tokens never hold a NUL: the joined form is one list's alone.
		{func(i int) *int32 { return &ks[i].addr }, func(i int, buf []byte) []byte { return joined(buf, recs[i].addr, 0) }},
		{func(i int) *int32 { return &recs[i].home }, func(i int, buf []byte) []byte {
			if len(recs[i].addr) < 2 {
				return buf
			}
			buf = append(append(buf, recs[i].country...), ':')
			return joined(buf, recs[i].addr, ' ')
		}},
		{func(i int) *int32 { return &ks[i].name }, func(i int, buf []byte) []byte { return append(buf, recs[i].nameKey...) }},
		{func(i int) *int32 { return &ks[i].phone }, func(i int, buf []byte) []byte { return append(buf, recs[i].phone...) }},
		{func(i int) *int32 { return &ks[i].email }, func(i int, buf []byte) []byte { return append(buf, recs[i].email...) }},
		{func(i int) *int32 { return &ks[i].idn }, func(i int, buf []byte) []byte { return append(buf, recs[i].idn...) }},
		{func(i int) *int32 { return &ks[i].country }, func(i int, buf []byte) []byte { return append(buf, recs[i].country...) }},
	}
	// One field at a time on each CPU: a map per field, so nothing is
	// shared but the list of fields.
	var next atomic.Int32
	onEveryCPU(runtime.GOMAXPROCS(0), func(int) {
		var buf []byte
		for f := int(next.Add(1)) - 1; f < len(fields); f = int(next.Add(1)) - 1 {
			seen := make(map[string]int32)
			for i := range recs {
				buf = fields[f].value(i, buf[:0])
				if len(buf) == 0 {
					continue
				}
				id, ok := seen[string(buf)]
				if !ok {
					id = int32(i + 1)
					seen[string(buf)] = id
				}
				*fields[f].id(i) = id
			}
		}
	})
	parallel(len(recs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if d := recs[i].dob; len(d) == 10 {
				copy(ks[i].dob[:], d)
				ks[i].hasDOB = true
			}
			for _, t := range recs[i].addr {
				ks[i].addrBits |= 1 << (fnv64(t) % 64)
			}
			ks[i].addrLen = int32(len(recs[i].addr))
			for _, c := range []byte(recs[i].idn) {
				ks[i].idnBits |= 1 << (c % 64)
			}
			ks[i].idnLen = int32(len(recs[i].idn))
		}
	})
	return ks
}

func prepare(p *filo.Party, phones *normalize.PhoneCache) record {
	r := record{
		name:    normalize.ParseName(p.FullName),
		dob:     p.BirthDate,
		phone:   phones.Known(p.PhoneE164, p.Phone, p.Country),
		email:   normalize.Email(p.Email),
		idn:     normalize.IDNumber(p.IDNumber),
		addr:    normalize.Address(p.Address),
		country: p.Country,
		org:     p.Kind == filo.KindOrganization,
	}
	r.nameKey = strings.Join(r.name.Tokens, " ")
	for _, t := range r.name.Tokens {
		if len(t) >= 2 {
			p, alt := normalize.DoubleMetaphone(t)
			r.sounds = append(r.sounds, [2]string{p, alt})
		}
	}
	return r
}

// Resolve resolves parties and platform accounts into entities.
func Resolve(ctx context.Context, in Input, opt Options) (*Result, error) {
	if opt.Threshold == 0 {
		opt.Threshold = 0.99999
	}
	if opt.MaxBlock == 0 {
		opt.MaxBlock = 400
	}
	step := steps.Timer(opt.Log, "resolution")
	n := len(in.Parties)
	recs := make([]record, n)
	phones := in.Phones
	if phones == nil {
		phones = new(normalize.PhoneCache)
	}
	parallel(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			recs[i] = prepare(&in.Parties[i], phones)
		}
	})
	ks := makeKeys(recs)
	step("records prepared")
	// Records by id, for the last scan's entities and analysts'
	// judgements: a million ids are not indexed for nothing.
	var index map[string]int
	if len(in.Previous) > 0 || len(in.Judgements) > 0 {
		index = make(map[string]int, n)
		for i, p := range in.Parties {
			index[p.ID] = i
		}
	}
	res := &Result{}

	model := newModel()
	saved, haveState := loadState(in.State)
	if haveState {
		model = saved.Model
	}
	fingerprint := judgementsFingerprint(in.Judgements)
	// Incremental: the last scan's entities stand, and only records that
	// are new since are compared, against everything, with the last model.
	var isNew []bool
	if !opt.Full && haveState && saved.Judgements == fingerprint && len(in.Previous) > 0 {
		isNew = newRecords(in.Previous, index, n)
		if isNew != nil {
			for _, b := range isNew {
				if b {
					res.NewRecords++
				}
			}
			if float64(res.NewRecords) > maxNewShare*float64(n) {
				isNew = nil
			}
		}
	}
	res.Incremental = isNew != nil
	if !res.Incremental {
		res.NewRecords = n
	}

	bl, capped := candidateBlocks(recs, opt.MaxBlock, isNew)
	step("blocks listed")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tf := nameFrequencies(recs, ks)
	compared := compareAll(recs, ks, bl, isNew, 1024)
	step("pairs compared")
	bl = nil
	// Comparing is most of the time on a large case: an analyst who
	// interrupts it should not wait for the rest.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Pairs, res.Capped = compared.pairs, capped
	if !res.Incremental {
		model.estimateU(recs, ks, opt.Seed)
		model.estimateM(compared.hist, 12)
	}

	// Scored edges, strongest first.
	type edge struct {
		a, b   int32
		weight float64
	}
	// The name-frequency adjustment depends on the level and the first
	// record only: computed once per record, not once per pair.
	tab := model.table()
	tfExact, tfClose := make([]float64, n), make([]float64, n)
	parallel(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			var v vector
			v[fName] = nameExact
			tfExact[i] = tfAdjust(v, &recs[i], &ks[i], tf, n, &model)
			v[fName] = nameClose
			tfClose[i] = tfAdjust(v, &recs[i], &ks[i], tf, n, &model)
		}
	})
	strongestFirst := func(x, y edge) int {
		if c := cmp.Compare(y.weight, x.weight); c != 0 {
			return c // strongest first
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	}
	// All of a pair's weight but its first record's name frequency is in
	// its code: worked out once per code. A code whose weight stays under
	// the threshold with the largest adjustment and a bit to spare (so
	// that no rounding of the probability could matter) needs no
	// probability per pair.
	type verdict struct {
		weight   float64
		name     int8
		hopeless bool
	}
	verdicts := make([]verdict, nCodes)
	for c := range verdicts {
		v := code(c).vector()
		vd := verdict{weight: tab.weight(v), name: v[fName]}
		most := 0.0
		switch vd.name {
		case nameExact:
			most = maxTFExact
		case nameClose:
			most = maxTFClose
		}
		// Different names are never one person, whatever else they share.
		vd.hopeless = !v.nameAgrees() || prob(vd.weight+most+1) < opt.Threshold
		verdicts[c] = vd
	}
	// Each CPU sorts the edges of its stretch of pairs, and the runs are
	// merged: the order is total, so the outcome is that of one sort.
	runs := make([][]edge, runtime.GOMAXPROCS(0))
	cs := compared.candidates
	eachEdge := func(cs []candidates, fn func(e edge)) {
		for _, c := range cs {
			k := 0
			for i, end := range c.end {
				a := c.first + int32(i)
				for ; k < int(end); k++ {
					vd := &verdicts[c.codes[k]]
					if vd.hopeless {
						continue
					}
					w := vd.weight
					switch vd.name {
					case nameExact:
						w += tfExact[a]
					case nameClose:
						w += tfClose[a]
					}
					if prob(w) >= opt.Threshold {
						fn(edge{a, c.b[k], w})
					}
				}
			}
		}
	}
	onEveryCPU(len(runs), func(r int) {
		mine := cs[r*len(cs)/len(runs) : (r+1)*len(cs)/len(runs)]
		// Counted first: millions of edges, appended, would be allocated
		// about five times over as the slice grows.
		n := 0
		eachEdge(mine, func(edge) { n++ })
		local := make([]edge, 0, n)
		eachEdge(mine, func(e edge) { local = append(local, e) })
		slices.SortFunc(local, strongestFirst)
		runs[r] = local
	})
	compared, cs = comparison{}, nil
	edges := mergeRuns(runs, strongestFirst)
	step("edges sorted")
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	uf := newClusters(recs)
	if res.Incremental {
		// The last scan's clusters stand as they were, with the links that
		// explain them.
		for _, e := range in.Previous {
			first := -1
			for _, r := range e.Records {
				if r.Type != filo.RecordParty {
					continue
				}
				if first < 0 {
					first = index[r.ID]
					continue
				}
				uf.union(first, index[r.ID], true)
			}
		}
		for _, l := range in.PreviousLinks {
			if l.Kind == filo.LinkSame && l.Source == filo.LinkByModel && l.A.Type == filo.RecordParty && l.B.Type == filo.RecordParty {
				res.Links = append(res.Links, l)
			}
		}
	}
	// Analysts first: their word wins over the model.
	for _, j := range in.Judgements {
		if j.Undone || j.A.Type != filo.RecordParty || j.B.Type != filo.RecordParty {
			continue
		}
		a, okA := index[j.A.ID]
		b, okB := index[j.B.ID]
		if !okA || !okB {
			continue
		}
		if j.Same {
			uf.union(a, b, true)
			res.Links = append(res.Links, filo.Link{A: j.A, B: j.B, Kind: filo.LinkSame, Weight: math.Inf(1), Prob: 1,
				Source: filo.LinkByAnalyst, Basis: "analyst: " + j.Who})
		} else {
			uf.forbid(a, b)
		}
	}
	var merged []edge
	for _, e := range edges {
		if uf.union(int(e.a), int(e.b), false) {
			merged = append(merged, e)
		}
	}
	step("clustered")
	// Each merge explained field by field, on every CPU; the contributions
	// of many links share an array, a million small ones fewer for the
	// collector to keep track of while the scan goes on.
	links := make([]filo.Link, len(merged))
	parallel(len(merged), func(lo, hi int) {
		x := newExplainer(&model)
		var fields []filo.FieldContribution
		for k := lo; k < hi; k++ {
			if len(fields) == 0 {
				fields = make([]filo.FieldContribution, 0, explained*min(hi-k, 1024))
			}
			e := merged[k]
			v := compare(&ks[e.a], &ks[e.b], &recs[e.a], &recs[e.b])
			fields = x.explain(fields, v, &recs[e.a], &recs[e.b], tfAdjust(v, &recs[e.a], &ks[e.a], tf, n, &model))
			links[k] = filo.Link{
				A: filo.RecordRef{Type: filo.RecordParty, ID: in.Parties[e.a].ID}, B: filo.RecordRef{Type: filo.RecordParty, ID: in.Parties[e.b].ID},
				Kind: filo.LinkSame, Weight: e.weight, Prob: prob(e.weight), Source: filo.LinkByModel,
				Fields: fields[len(fields)-explained : len(fields) : len(fields)],
			}
			if len(fields) == cap(fields) {
				fields = nil
			}
		}
	})
	kept := res.Links // the last scan's and analysts'
	res.Links = nil
	step("merges explained")
	if opt.Merges != nil {
		for _, ls := range [][]filo.Link{kept, links} {
			if len(ls) > 0 {
				opt.Merges(ls)
			}
		}
		kept, links = nil, nil
	}

	// Entities from clusters, platform accounts attached by identifiers.
	groups := make([][]filo.RecordRef, n) // by root
	for i, p := range in.Parties {
		r := uf.find(i)
		groups[r] = append(groups[r], filo.RecordRef{Type: filo.RecordParty, ID: p.ID})
	}
	byPhone, byEmail := map[string]int{}, map[string]int{}
	for i := range recs {
		if len(in.PlatformAccounts) == 0 {
			break // nothing to look up
		}
		r := uf.find(i)
		for _, kv := range []struct {
			m map[string]int
			k string
		}{{byPhone, recs[i].phone}, {byEmail, recs[i].email}} {
			if kv.k == "" {
				continue
			}
			if old, ok := kv.m[kv.k]; ok && old != r {
				kv.m[kv.k] = -1 // shared by several people: no evidence of one
			} else if !ok {
				kv.m[kv.k] = r
			}
		}
	}
	var loose [][]filo.RecordRef
	var accountLinks []filo.Link
	for _, pa := range in.PlatformAccounts {
		ref := filo.RecordRef{Type: filo.RecordPlatformAccount, ID: pa.Ref()}
		target, basis := -1, ""
		if e := normalize.Email(pa.Email); e != "" {
			if r, ok := byEmail[e]; ok && r >= 0 {
				target, basis = r, "email"
			}
		}
		if ph := phones.Known(pa.PhoneE164, pa.Phone, ""); target < 0 && ph != "" {
			if r, ok := byPhone[ph]; ok && r >= 0 {
				target, basis = r, "phone"
			}
		}
		if target < 0 {
			loose = append(loose, []filo.RecordRef{ref})
			continue
		}
		groups[target] = append(groups[target], ref)
		accountLinks = append(accountLinks, filo.Link{A: groups[target][0], B: ref, Kind: filo.LinkSame, Prob: 0.99, Weight: 10,
			Basis: basis, Source: filo.LinkByModel, Fields: []filo.FieldContribution{{Field: basis, Level: "exact", Weight: 10}}})
	}
	var clusters [][]filo.RecordRef
	for _, g := range groups {
		if len(g) > 0 {
			clusters = append(clusters, g)
		}
	}
	clusters = append(clusters, loose...)
	step("platform accounts attached")
	res.Entities = stableIDs(clusters, in.Previous)
	step("entity ids")
	res.EntityOf = make(map[filo.RecordRef]string, n+len(in.PlatformAccounts))
	for _, e := range res.Entities {
		for _, r := range e.Records {
			res.EntityOf[r] = e.ID
		}
	}
	step("records indexed")
	// Made at their size: the links are kept until the scan is saved.
	res.Links = slices.Concat(kept, links, accountLinks, related(in.Parties, recs, ks, uf))
	step("related links")
	res.Model = model
	res.Fields = normalize.PartyFields{Names: make([]normalize.Name, n), Emails: make([]string, n), Addresses: make([][]string, n)}
	for i := range recs {
		res.Fields.Names[i], res.Fields.Emails[i], res.Fields.Addresses[i] = recs[i].name, recs[i].email, recs[i].addr
	}
	state, err := json.Marshal(savedState{Model: model, Judgements: fingerprint})
	if err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	res.State = state
	return res, nil
}

// mergeRuns merges sorted runs into one.
func mergeRuns[T any](runs [][]T, cmp func(x, y T) int) []T {
	if len(runs) == 0 {
		return nil
	}
	for len(runs) > 1 {
		var next [][]T
		for i := 0; i < len(runs); i += 2 {
			if i+1 == len(runs) {
				next = append(next, runs[i])
				break
			}
			x, y := runs[i], runs[i+1]
			out := make([]T, 0, len(x)+len(y))
			for len(x) > 0 && len(y) > 0 {
				if cmp(y[0], x[0]) < 0 {
					out, y = append(out, y[0]), y[1:]
				} else {
					out, x = append(out, x[0]), x[1:]
				}
			}
			next = append(next, append(append(out, x...), y...))
		}
		runs = next
	}
	return runs[0]
}

// candidates are the compared pairs of a run of records whose names agree
// enough for one person (see nameAgrees), with their comparisons: no other
// pair can be merged, whatever the model, and in a large case most pairs
// are not candidates. Record first+i's are (first+i, b[k]) with codes[k]
// for k from end[i-1] (0 for i = 0) to end[i].
type candidates struct {
	first int32
	end   []int32
	b     []int32
	codes []code
}

// comparison is what comparing the candidate pairs leaves: the pairs
// counted by code, all that estimating m needs of them, and the pairs
// that may be merged, in runs of records in record order.
type comparison struct {
	hist       []float64 // by code
	pairs      int
	candidates []candidates
}

// namesMayAgree tells by code whether a pair's names agree enough for one
// person.
var namesMayAgree = func() []bool {
	ok := make([]bool, nCodes)
	for c := range ok {
		ok[c] = code(c).vector().nameAgrees()
	}
	return ok
}()

// compareAll compares every record with its partners on every CPU, each
// CPU remembering the levels of the pairs of names it has met and taking
// the next run of records when done with one: small runs share the work
// evenly. A record's partners are listed when it is compared and
// forgotten after; the candidates are kept in record order, whatever the
// scheduling.
func compareAll(recs []record, ks []keys, bl *blocks, isNew []bool, run int) comparison {
	runs := make([]candidates, (len(recs)+run-1)/run)
	workers := runtime.GOMAXPROCS(0)
	hists := make([][]int, workers)
	pairs := make([]int, workers)
	var next atomic.Int64
	onEveryCPU(workers, func(w int) {
		names := nameLevels{}
		hist := make([]int, nCodes)
		var partners, bs []int32
		seen := make([]int32, len(recs))
		var codes []code
		for r := int(next.Add(1)) - 1; r < len(runs); r = int(next.Add(1)) - 1 {
			first, last := int32(r*run), int32(min(len(recs), (r+1)*run))
			end := make([]int32, 0, last-first)
			bs, codes = bs[:0], codes[:0]
			for a := first; a < last; a++ {
				partners = bl.partners(a, isNew, partners[:0], seen)
				pairs[w] += len(partners)
				for _, b := range partners {
					c := compareWith(names, &ks[a], &ks[b], &recs[a], &recs[b]).code()
					hist[c]++
					if namesMayAgree[c] {
						bs, codes = append(bs, b), append(codes, c)
					}
				}
				end = append(end, int32(len(bs)))
			}
			// Kept at their size: the buffers serve the next run.
			runs[r] = candidates{first: first, end: end, b: slices.Clone(bs), codes: slices.Clone(codes)}
		}
		hists[w] = hist
	})
	out := comparison{hist: make([]float64, nCodes), candidates: runs}
	for w := range workers {
		out.pairs += pairs[w]
		for c, n := range hists[w] {
			out.hist[c] += float64(n)
		}
	}
	return out
}

// parallel splits [0, n) into one stretch per CPU; each worker fills its
// own stretch, so the outcome does not depend on scheduling.
func parallel(n int, work func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	chunk := (n + workers - 1) / max(workers, 1)
	if chunk == 0 {
		return
	}
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			work(lo, hi)
		}(lo, min(n, lo+chunk))
	}
	wg.Wait()
}

// newRecords marks the parties that no previous entity holds. It returns
// nil when a previous party is gone (a corrected file replaced it): the
// last scan's clusters no longer describe the records.
func newRecords(previous []filo.Entity, index map[string]int, n int) []bool {
	isNew := make([]bool, n)
	for i := range isNew {
		isNew[i] = true
	}
	for _, e := range previous {
		for _, r := range e.Records {
			if r.Type != filo.RecordParty {
				continue
			}
			i, ok := index[r.ID]
			if !ok {
				return nil
			}
			isNew[i] = false
		}
	}
	return isNew
}

// stableIDs names clusters: a cluster keeps the id of the previous entity
// it shares most records with (a split keeps it on the larger part); a new
// one gets an id derived from its smallest record, so the same data gives
// the same ids on any machine.
func stableIDs(clusters [][]filo.RecordRef, previous []filo.Entity) []filo.Entity {
	// Every record of the last scan, to the number of its entity: the ids
	// are not held a second time.
	records := 0
	for _, e := range previous {
		records += len(e.Records)
	}
	prevOf := make(map[filo.RecordRef]int32, records)
	for k, e := range previous {
		for _, r := range e.Records {
			prevOf[r] = int32(k)
		}
	}
	type claim struct {
		cluster, overlap int
	}
	best := map[string]claim{}
	count := map[string]int{} // of the cluster at hand, cleared for the next
	for ci, c := range clusters {
		clear(count)
		for _, r := range c {
			if k, ok := prevOf[r]; ok {
				count[previous[k].ID]++
			}
		}
		for id, k := range count {
			if b, ok := best[id]; !ok || k > b.overlap || k == b.overlap && ci < b.cluster {
				best[id] = claim{ci, k}
			}
		}
	}
	idOf := make([]string, len(clusters))
	prevIDs := make([]string, 0, len(best))
	for id := range best {
		prevIDs = append(prevIDs, id)
	}
	sort.Strings(prevIDs)
	for _, id := range prevIDs {
		if c := best[id].cluster; idOf[c] == "" {
			idOf[c] = id
		}
	}
	used := make(map[string]bool, len(clusters))
	for _, id := range idOf {
		if id != "" {
			used[id] = true
		}
	}
	out := make([]filo.Entity, len(clusters))
	for ci, c := range clusters {
		slices.SortFunc(c, func(x, y filo.RecordRef) int {
			if o := strings.Compare(x.Type, y.Type); o != 0 {
				return o
			}
			return strings.Compare(x.ID, y.ID)
		})
		id := idOf[ci]
		if id == "" {
			h := sha1.Sum([]byte(c[0].String()))
			id = "E" + hex.EncodeToString(h[:5])
			for k := 0; used[id]; k++ {
				h = sha1.Sum([]byte(fmt.Sprintf("%s#%d", c[0], k)))
				id = "E" + hex.EncodeToString(h[:5])
			}
		}
		used[id] = true
		out[ci] = filo.Entity{ID: id, Records: c}
	}
	slices.SortFunc(out, func(x, y filo.Entity) int { return strings.Compare(x.ID, y.ID) })
	return out
}

func prob(w float64) float64 {
	return 1 / (1 + math.Exp2(-w))
}
