package detect

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/network"
	"github.com/filoproject/filo/normalize"
)

// ring is a group of receiving identities suspected to work for one
// facilitator.
type ring struct {
	members []int32
	txs     []int32 // corridor payments into its identities, ascending
	feats   []feature
	pre     float64 // score before trace signals: the seeds of network proximity
	score   float64 // with the trace signals on its identities: the lead's score, and what its payers' PAYS_SUSPECTED_RING reads
}

// findRings groups corridor recipients that many unrelated foreign senders
// pay small amounts: an identity with enough such senders is a candidate;
// identities related to a candidate (phone, address) or sharing a family
// name and at least two senders with it join its ring. Organisations never
// form rings: a charity's thousands of fixed donors are fan-in by design.
func (w *world) findRings(ss *senders) []*ring {
	p := w.pol.Parameters
	baseScore := make([]float64, len(w.ids)) // a sender's score as a buyer on its own; 0 for others
	for i, s := range ss.ids {
		baseScore[s] = logistic(ss.base[i] - w.pol.Bias)
	}
	ents := len(w.ids)
	txOf := groupBy(ents, len(w.txs), func(k int) int32 { // receiver → its corridor payments
		if v := &w.txs[k]; v.is(txCorridor) {
			return v.r
		}
		return -1
	})
	// Small corridor payments between unrelated people, decided on every
	// core: the name tokens make it the costly part.
	strangers := make([]int32, len(w.txs)) // receiver of each such payment, -1 for others
	inParallel(len(w.txs), 4096, func() struct{} { return struct{}{} }, func(_ struct{}, lo, hi int) {
		for k := lo; k < hi; k++ {
			strangers[k] = -1
			if v := &w.txs[k]; v.is(txCorridor) && v.is(txSmall) && w.unrelated(v.s, v.r) {
				strangers[k] = v.r
			}
		}
	})
	fromStrangers := groupBy(ents, len(w.txs), func(k int) int32 { return strangers[k] })
	strangers = nil
	// distinct: receiver → its small unrelated senders, ascending.
	distinct := csr{start: make([]int32, ents+1), items: make([]int32, 0, len(fromStrangers.items))}
	var recvs []int32
	for r := range ents {
		lo := len(distinct.items)
		for _, k := range fromStrangers.of(r) {
			distinct.items = append(distinct.items, w.txs[k].s)
		}
		d := distinct.items[lo:]
		slices.Sort(d)
		distinct.items = distinct.items[:lo+len(slices.Compact(d))]
		distinct.start[r+1] = int32(len(distinct.items))
		if len(distinct.items) > lo {
			recvs = append(recvs, int32(r))
		}
	}
	fromStrangers = csr{}
	cand := map[int32]bool{}
	for _, r := range recvs {
		if len(distinct.of(int(r))) >= p.RingMinSenders {
			cand[r] = true
		}
	}
	// Union candidates and their related identities.
	parent := map[int32]int32{}
	var find func(int32) int32
	find = func(x int32) int32 {
		if _, ok := parent[x]; !ok {
			parent[x] = x
		}
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	join := func(a, b int32) {
		ra, rb := find(a), find(b)
		if ra != rb {
			if ra > rb {
				ra, rb = rb, ra
			}
			parent[rb] = ra
		}
	}
	bySender := groupDistinct(ents, len(recvs), func(i int, emit func(int32)) { // sender → its receivers, ascending
		for _, s := range distinct.of(int(recvs[i])) {
			emit(s)
		}
	}, func(i int) int32 { return recvs[i] })
	for _, r := range recvs {
		if !cand[r] {
			continue
		}
		find(r)
		common := map[int32]int{}
		for _, s := range distinct.of(int(r)) {
			for _, q := range bySender.of(int(s)) {
				if q != r {
					common[q]++
				}
			}
		}
		// Identities related to a candidate by phone or address join it,
		// whoever pays them.
		for _, q := range w.relAdj[r] {
			if len(distinct.of(int(q))) > 0 {
				join(r, q)
			}
		}
		for q, n := range common {
			// Shared senders join identities only when they are a good part
			// of both identities' senders: a prolific buyer pays several rings,
			// and common family names (Santos, Nguyen) recur across rings.
			overlap := normalize.Jaccard(distinct.of(int(r)), distinct.of(int(q)))
			if n >= 2 && overlap >= 0.25 && !w.unrelated(r, q) || n >= 3 && cand[q] && w.country[q] == w.country[r] && overlap >= 0.4 {
				join(r, q)
			}
		}
	}
	w.joinRelatedMembers(parent, find, join, &distinct)
	w.joinGroupsBySenders(parent, find, join, &distinct)
	groups := map[int32][]int32{}
	for x := range parent {
		groups[find(x)] = append(groups[find(x)], x)
	}
	roots := make([]int32, 0, len(groups))
	for r := range groups {
		roots = append(roots, r)
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i] < roots[j] })
	var rings []*ring
	for _, root := range roots {
		ms := groups[root]
		sort.Slice(ms, func(i, j int) bool { return ms[i] < ms[j] })
		hasCand := false
		for _, m := range ms {
			hasCand = hasCand || cand[m]
		}
		if !hasCand {
			continue
		}
		rg := &ring{members: ms}
		var all []int32
		smallN, allN := 0, 0
		var ks []int32
		var watchEv []filo.Evidence
		for _, m := range ms {
			all = append(all, distinct.of(int(m))...)
			for _, k := range txOf.of(int(m)) {
				if w.txs[k].is(txSmall) {
					smallN++
				}
			}
			allN += len(txOf.of(int(m)))
			ks = append(ks, txOf.of(int(m))...)
			watchEv = append(watchEv, w.watch[m]...)
		}
		slices.Sort(ks)
		rg.txs = ks
		slices.Sort(all)
		all = slices.Compact(all)
		n := len(all)
		rg.feats = append(rg.feats, feature{code: "RING_FAN_IN", strength: math.Min(1, math.Log1p(float64(n))/math.Log1p(20)),
			detail: fmt.Sprintf("%d unrelated senders abroad paid small amounts to %d identities", n, len(ms)), evidence: w.txEvidence(ks, "")})
		if len(ms) > 1 {
			rg.feats = append(rg.feats, feature{code: "RING_IDENTITIES", strength: math.Min(1, float64(len(ms)-1)/3),
				detail: fmt.Sprintf("%d receiving identities related by phone, address, family name or shared senders", len(ms))})
		}
		if allN > 0 {
			share := float64(smallN) / float64(allN)
			rg.feats = append(rg.feats, feature{code: "RING_SMALL_AMOUNTS", strength: share,
				detail: fmt.Sprintf("%.0f%% of %d foreign inflows are small", 100*share, allN)})
		}
		if len(watchEv) > 0 {
			ws := 0.0
			for _, m := range ms {
				ws = math.Max(ws, w.watchStr[m])
			}
			rg.feats = append(rg.feats, feature{code: "RING_WATCHLIST", strength: ws,
				detail: fmt.Sprintf("%d watchlist entries match identities of the ring", len(watchEv)), evidence: capEvidence(watchEv)})
		}
		if n > 0 {
			sum := 0.0
			for _, s := range all {
				sum += baseScore[s]
			}
			mean := sum / float64(n)
			rg.feats = append(rg.feats, feature{code: "RING_BUYER_SENDERS", strength: math.Min(1, 2*mean),
				detail: fmt.Sprintf("the ring's senders score %.2f on average as buyers on their own", mean)})
		}
		rg.pre = logistic(sumFeatures(rg.feats, w.pol) - w.pol.RingBias)
		rings = append(rings, rg)
	}
	return rings
}

// proximity spreads risk from watchlisted identities and suspected rings
// over the payment graph (personalised PageRank, restart 0.3).
func (w *world) proximity(rings []*ring) []float64 {
	type key struct{ a, b int32 }
	agg := map[key]float64{}
	for k := range w.txs {
		v := &w.txs[k]
		if !v.is(txCorridor) {
			continue
		}
		a, b := v.s, v.r
		if a > b {
			a, b = b, a
		}
		agg[key{a, b}]++
	}
	edges := make([]network.Edge, 0, len(agg))
	for k, n := range agg {
		edges = append(edges, network.Edge{A: k.a, B: k.b, Weight: n})
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].A != edges[j].A {
			return edges[i].A < edges[j].A
		}
		return edges[i].B < edges[j].B
	})
	g := network.New(len(w.ids), edges)
	seeds := map[int]float64{}
	for e := range w.watch {
		if w.watchStr[e] > 0 {
			seeds[e] += w.watchStr[e]
		}
	}
	for _, rg := range rings {
		for _, m := range rg.members {
			seeds[int(m)] += rg.pre
		}
	}
	return g.PersonalizedPageRank(seeds, 0.3, 30)
}

// ringLead turns a ring into one lead covering all its identities.
func (w *world) ringLead(rg *ring) filo.Lead {
	l := filo.Lead{Role: filo.RoleFacilitator, Score: rg.score}
	for _, m := range rg.members {
		l.EntityIDs = append(l.EntityIDs, w.ids[m])
	}
	sort.Strings(l.EntityIDs)
	l.ID = "R-" + l.EntityIDs[0]
	l.PartyIDs = w.partyIDs(rg.members...)
	l.Reasons = w.reasons(rg.feats)
	return l
}

// relatedHops is how far from a candidate, over phone and address links,
// an identity may be and still join its ring.
const relatedHops = 2

// joinRelatedMembers pulls into each ring the identities related by phone
// or address to any of its members, not only to its candidates: a
// facilitator's own records that few buyers pay still share her address
// with the relatives whose records many pay. Only identities that
// unrelated senders abroad pay small amounts join.
func (w *world) joinRelatedMembers(parent map[int32]int32, find func(int32) int32, join func(a, b int32), distinct *csr) {
	frontier := sortedKeys(parent)
	for hop := 0; hop < relatedHops && len(frontier) > 0; hop++ {
		var next []int32
		for _, x := range frontier {
			for _, q := range w.relAdj[x] {
				if len(distinct.of(int(q))) == 0 {
					continue
				}
				if _, in := parent[q]; in && find(q) == find(x) {
					continue
				}
				join(x, q)
				next = append(next, q)
			}
		}
		frontier = next
	}
}

// joinGroupsBySenders lets whole groups, not single identities, meet by the
// senders they share: a ring's buyers spread their payments over its
// identities, so each identity shares a sender or two with each of the
// others, too few to join any pair, while the ring as a whole shares many.
// Groups must be in one country; a name token in common (mostly a family
// name) lowers the bar. The share is taken of the smaller group's senders,
// so that a few prolific buyers paying two large rings do not fuse them.
func (w *world) joinGroupsBySenders(parent map[int32]int32, find func(int32) int32, join func(a, b int32), distinct *csr) {
	for round := 0; round < 3; round++ {
		type group struct {
			senders []int32
			country string
			tokens  []string
		}
		groups := map[int32]*group{}
		for _, x := range sortedKeys(parent) {
			r := find(x)
			g := groups[r]
			if g == nil {
				g = &group{}
				groups[r] = g
			}
			g.senders = append(g.senders, distinct.of(int(x))...)
			if g.country == "" {
				g.country = w.country[x]
			}
			for _, t := range w.tokens[x] {
				if !contains(g.tokens, t) {
					g.tokens = append(g.tokens, t)
				}
			}
		}
		bySender := map[int32][]int32{}
		roots := sortedKeys(groups)
		for _, r := range roots {
			g := groups[r]
			slices.Sort(g.senders)
			g.senders = slices.Compact(g.senders)
			for _, s := range g.senders {
				bySender[s] = append(bySender[s], r)
			}
		}
		shared := map[[2]int32]int{}
		for _, rs := range bySender {
			for i := range rs {
				for j := i + 1; j < len(rs); j++ {
					a, b := rs[i], rs[j]
					if a > b {
						a, b = b, a
					}
					shared[[2]int32{a, b}]++
				}
			}
		}
		pairs := make([][2]int32, 0, len(shared))
		for pr := range shared {
			pairs = append(pairs, pr)
		}
		slices.SortFunc(pairs, func(a, b [2]int32) int {
			return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
		})
		joined := false
		for _, pr := range pairs {
			ga, gb := groups[pr[0]], groups[pr[1]]
			if ga.country == "" || ga.country != gb.country || find(pr[0]) == find(pr[1]) {
				continue
			}
			n := shared[pr]
			share := float64(n) / float64(min(len(ga.senders), len(gb.senders)))
			named := slices.ContainsFunc(ga.tokens, func(t string) bool { return contains(gb.tokens, t) })
			if n >= 2 && share >= 0.3 && named || n >= 3 && share >= 0.5 {
				join(pr[0], pr[1])
				joined = true
			}
		}
		if !joined {
			return
		}
	}
}

// sortedKeys returns a map's keys in order, so that grouping does not
// depend on map iteration.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
