package detect

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/policy"
)

// feature is one indicator that fired, with its strength in [0,1].
type feature struct {
	code     string
	strength float64
	detail   string
	evidence []filo.Evidence
}

func sumFeatures(fs []feature, pol *policy.Policy) float64 {
	s := 0.0
	for _, f := range fs {
		s += pol.Weight(f.code) * f.strength
	}
	return s
}

// buyer is one sender's indicators.
type buyer struct {
	e     int32
	pol   *policy.Policy
	feats []feature // only when explaining
	// total is the weighted sum of the indicators so far, added in the
	// order they fire, as sumFeatures would add them.
	total       float64
	score       float64
	fraudVictim bool
	// explain: keep every feature with its detail and evidence, for a
	// lead; otherwise only the total counts.
	explain bool
}

// add counts an indicator that fired (strength > 0) and returns it to be
// explained when b is explained; nil otherwise.
func (b *buyer) add(code string, strength float64) *feature {
	if strength <= 0 {
		return nil
	}
	return b.addFeature(feature{code: code, strength: math.Min(1, strength)})
}

func (b *buyer) addFeature(f feature) *feature {
	b.total += b.pol.Weight(f.code) * f.strength
	if !b.explain {
		return nil
	}
	b.feats = append(b.feats, f)
	return &b.feats[len(b.feats)-1]
}

// signalFeatures folds trace signals into one feature per code: the
// strongest signal's strength, every signal's evidence (capped), and how
// many there were.
func signalFeatures(sigs []filo.TraceSignal) []feature {
	var order []string
	by := map[string]*feature{}
	count := map[string]int{}
	for _, s := range sigs {
		f := by[s.Code]
		if f == nil {
			f = &feature{code: s.Code}
			by[s.Code] = f
			order = append(order, s.Code)
		}
		count[s.Code]++
		if s.Strength > f.strength {
			f.strength, f.detail = math.Min(1, s.Strength), s.Detail
		}
		f.evidence = capEvidence(append(f.evidence, s.Evidence...))
	}
	out := make([]feature, 0, len(order))
	for _, c := range order {
		f := *by[c]
		if n := count[c]; n > 1 {
			f.detail = fmt.Sprintf("%d signals; strongest: %s", n, f.detail)
		}
		out = append(out, f)
	}
	return out
}

// senders are the people who paid into a corridor, with their payments
// and what those say of them before rings, network and trace signals do.
type senders struct {
	ids      []int32 // entities, ascending
	corridor csr     // sender i → its corridor payments (indices into world.txs, ascending)
	related  csr     // sender i → its purchases from related merchants
	payers   csr     // entity → the senders paying it in a corridor (entities, ascending)
	base     []float64
	victim   []bool
}

// senders groups the corridor payments by sender and scores each sender
// on its own payments, on every core.
func (w *world) senders() *senders {
	n := len(w.ids)
	pos := make([]int32, n) // entity → sender index + 1
	for k := range w.txs {
		if v := &w.txs[k]; v.is(txCorridor) && !w.org[v.s] {
			pos[v.s] = 1
		}
	}
	ss := &senders{}
	for e, x := range pos {
		if x != 0 {
			ss.ids = append(ss.ids, int32(e))
			pos[e] = int32(len(ss.ids))
		}
	}
	ss.corridor = groupBy(len(ss.ids), len(w.txs), func(k int) int32 {
		if v := &w.txs[k]; v.is(txCorridor) {
			return pos[v.s] - 1
		}
		return -1
	})
	ss.related = groupBy(len(ss.ids), len(w.txs), func(k int) int32 {
		if v := &w.txs[k]; v.is(txRelated) {
			return pos[v.s] - 1
		}
		return -1
	})
	// Who pays each corridor recipient: a facilitator is paid by many
	// people abroad, a relative or a partner by one family.
	ss.payers = groupDistinct(n, len(ss.ids), func(i int, emit func(int32)) {
		for _, k := range ss.corridor.of(i) {
			emit(w.txs[k].r)
		}
	}, func(i int) int32 { return ss.ids[i] })
	ss.base = make([]float64, len(ss.ids))
	ss.victim = make([]bool, len(ss.ids))
	inParallel(len(ss.ids), 256, func() *scratch { return new(scratch) }, func(sc *scratch, lo, hi int) {
		for i := lo; i < hi; i++ {
			b := buyer{e: ss.ids[i], pol: w.pol}
			w.senderFeatures(&b, ss, i, sc)
			ss.base[i], ss.victim[i] = b.total, b.fraudVictim
		}
	})
	return ss
}

// scoring is what a pass knows beyond the senders' own payments.
type scoring struct {
	rings   []*ring // with their trace signals
	ringOf  map[int32]*ring
	ringPay map[int32]float64 // sender → score of the strongest ring lead it pays
	ppr     []float64
	pprRef  float64
	signals map[int32][]filo.TraceSignal
}

// explainSender evaluates sender i again with every detail and row, as
// its lead shows them.
func (w *world) explainSender(ss *senders, i int, ctxt *scoring, sc *scratch) *buyer {
	b := &buyer{e: ss.ids[i], pol: w.pol, explain: true}
	w.senderFeatures(b, ss, i, sc)
	w.addContext(b, ss.corridor.of(i), ctxt)
	b.score = logistic(b.total - w.pol.Bias)
	return b
}

// addContext adds to b what rings, the network and the trace signals say
// of it; txs, its corridor payments, are read only when b is explained.
func (w *world) addContext(b *buyer, txs []int32, ctxt *scoring) {
	if best, ok := ctxt.ringPay[b.e]; ok {
		if f := b.add("PAYS_SUSPECTED_RING", best); f != nil {
			var toRing []int32
			for _, k := range txs {
				if rg := ctxt.ringOf[w.txs[k].r]; rg != nil && rg.score >= w.pol.RingThreshold {
					toRing = append(toRing, k)
				}
			}
			f.detail = fmt.Sprintf("%d payments to identities of a suspected facilitator ring (ring score %.2f)", len(toRing), best)
			f.evidence = w.txEvidence(toRing, "")
		}
	}
	if ctxt.pprRef > 0 {
		if x := ctxt.ppr[b.e] / ctxt.pprRef; x > 0.1 {
			if f := b.add("NETWORK_PROXIMITY", x); f != nil {
				f.detail = fmt.Sprintf("personalised PageRank %.2g (99th percentile of senders: %.2g)", ctxt.ppr[b.e], ctxt.pprRef)
			}
		}
	}
	if sigs := ctxt.signals[b.e]; len(sigs) > 0 {
		for _, f := range signalFeatures(sigs) {
			b.addFeature(f)
		}
	}
}

// scratch is one goroutine's reusable buffers for senderFeatures.
type scratch struct {
	small, byRecip []int32
	recips         []recipient
	f1, f2         []float64
	ranks          []float64
	order          []int
	ts             []int64
}

// recipient is one corridor recipient of a sender, with the sender's
// payments to it (ascending).
type recipient struct {
	r   int32
	txs []int32
}

// senderFeatures evaluates sender i from its own payments. Unless b is
// explained it works out only what the total needs: details and rows are
// for leads.
func (w *world) senderFeatures(b *buyer, ss *senders, i int, sc *scratch) {
	s := b.e
	txs, rel := ss.corridor.of(i), ss.related.of(i)
	p := w.pol.Parameters
	ev := w.txEvidence
	small := sc.small[:0]
	for _, k := range txs {
		if w.txs[k].is(txSmall) {
			small = append(small, k)
		}
	}
	sc.small = small
	if f := b.add("SMALL_CORRIDOR", float64(len(small))/3); f != nil {
		lo, hi := minMax(w.amounts(nil, small))
		f.detail = fmt.Sprintf("%d payments of %.0f-%.0f USD into %s", len(small), lo, hi, w.countriesOf(small))
		f.evidence = ev(small, "")
	}
	// Gaps between small corridor payments.
	if len(small) >= 3 {
		sc.f1 = w.gapsDays(sc.f1, &sc.ts, small)
		if med := medianInPlace(sc.f1); med <= p.FrequentGapDays {
			if f := b.add("FREQUENT_SMALL", 1); f != nil {
				f.detail = fmt.Sprintf("%d small payments, median gap %.1f days", len(small), med)
				f.evidence = ev(small, "")
			}
		}
	}
	if len(small) >= 5 {
		sc.f1 = w.amounts(sc.f1, small)
		rho := sc.trend(sc.f1)
		sc.f1 = w.gapsDays(sc.f1, &sc.ts, small)
		rg := sc.trend(sc.f1)
		if s := (rho - rg) / 2; s > 0.25 {
			if f := b.add("ESCALATION", s); f != nil {
				f.detail = fmt.Sprintf("amount trend %+.2f, gap trend %+.2f (Spearman) over %d payments", rho, rg, len(small))
				f.evidence = ev(small, "")
			}
		}
	}
	// Recipients and how they relate to the sender, in recipient order.
	sc.byRecip = append(sc.byRecip[:0], txs...)
	slices.SortFunc(sc.byRecip, func(a, c int32) int {
		return cmp.Or(cmp.Compare(w.txs[a].r, w.txs[c].r), cmp.Compare(a, c))
	})
	recips := sc.recips[:0]
	for j := 0; j < len(sc.byRecip); {
		r := w.txs[sc.byRecip[j]].r
		l := j
		for j < len(sc.byRecip) && w.txs[sc.byRecip[j]].r == r {
			j++
		}
		recips = append(recips, recipient{r: r, txs: sc.byRecip[l:j:j]})
	}
	sc.recips = recips
	nUnrel, famTx := 0, 0
	var firstToUnrel []int32
	for _, rc := range recips {
		if w.unrelated(s, rc.r) {
			if slices.ContainsFunc(rc.txs, func(k int32) bool { return w.txs[k].is(txSmall) }) {
				nUnrel++
				if b.explain {
					firstToUnrel = append(firstToUnrel, rc.txs[0])
				}
			}
		} else {
			famTx += len(rc.txs)
		}
	}
	if nUnrel >= 2 {
		if f := b.add("FAN_OUT_UNRELATED", float64(nUnrel-1)/2); f != nil {
			f.detail = fmt.Sprintf("%d corridor recipients with no family name or household in common", nUnrel)
			f.evidence = ev(firstToUnrel, "first payment to this recipient")
		}
	}
	// Exclusive recipients: nobody outside the sender's family pays any
	// of them. The converse of a facilitator's fan-in; it needs a few
	// payments, as one payment to a ring identity says little either way.
	if len(txs) >= 3 {
		exclusive := true
		for _, rc := range recips {
			if slices.ContainsFunc(ss.payers.of(int(rc.r)), func(o int32) bool { return o != s && w.unrelated(s, o) }) {
				exclusive = false
				break
			}
		}
		if exclusive {
			if f := b.add("EXCLUSIVE_RECIPIENTS", 1); f != nil {
				f.detail = fmt.Sprintf("none of the %d corridor recipients is paid by anyone else in the data outside the sender's family", len(recips))
			}
		}
	}
	if share := float64(famTx) / float64(len(txs)); share >= 0.5 {
		if f := b.add("FAMILY_RECIPIENTS", share); f != nil {
			f.detail = fmt.Sprintf("%.0f%% of corridor payments go to recipients sharing the sender's family name or household", 100*share)
		}
	}
	// The main recipient: the most paid, the first of those in order.
	var main recipient
	for _, rc := range recips {
		if len(rc.txs) > len(main.txs) {
			main = rc
		}
	}
	// Steady support: recipients paid again and again, over months, about
	// the same amount each time — family remittances, partner support,
	// sponsorships. Judged per recipient, so that several relatives paid
	// on their own rhythms count too.
	nSteady, steadyN := 0, 0
	var steadyTxs []int32
	for _, rc := range recips {
		ks := rc.txs
		if len(ks) < 4 {
			continue
		}
		span := float64(w.txs[ks[len(ks)-1]].at-w.txs[ks[0]].at) / 86400
		if span < 120 {
			continue
		}
		sc.f1 = w.amounts(sc.f1, ks)
		if near(sc.f1, medianInPlace(sc.f1), 0.25) >= 0.6 {
			nSteady++
			steadyN += len(ks)
			if b.explain {
				steadyTxs = append(steadyTxs, ks...)
			}
		}
	}
	if share := float64(steadyN) / float64(len(txs)); share >= 0.5 {
		if f := b.add("REGULAR_RHYTHM", share); f != nil {
			f.detail = fmt.Sprintf("%.0f%% of corridor payments go to %d recipients paid steadily over months, about the same amount each time", 100*share, nSteady)
			f.evidence = ev(steadyTxs, "")
		}
	}
	if mainN := len(main.txs); mainN >= 4 {
		// Romance-scam victims: large, escalating amounts to one recipient.
		amt := w.amounts(sc.f1, main.txs)
		sc.f1 = amt
		first, last := amt[0], amt[len(amt)-1]
		if medianInPlace(amt) > 2*p.SmallMaxUSD && last > 2*first && float64(mainN) >= 0.8*float64(len(txs)) {
			b.fraudVictim = true
		}
	}
	sc.f1 = w.amounts(sc.f1, txs)
	if med := medianInPlace(sc.f1); med > p.SmallMaxUSD {
		if f := b.add("LARGE_AMOUNTS", 1); f != nil {
			f.detail = fmt.Sprintf("median corridor payment %.0f USD", med)
		}
	}
	// Channel, references, time of day.
	nRemit, nInnocent, nNight := 0, 0, 0
	for _, k := range txs {
		v := &w.txs[k]
		if v.is(txRemit) {
			nRemit++
		}
		if v.is(txInnocent) && v.is(txSmall) {
			nInnocent++
		}
		if v.is(txNight) {
			nNight++
		}
	}
	// which returns those of txs with flags all set, for a reason's rows.
	which := func(flags txFlag) []int32 {
		var out []int32
		for _, k := range txs {
			if w.txs[k].flags&flags == flags {
				out = append(out, k)
			}
		}
		return out
	}
	if share := float64(nRemit) / float64(len(txs)); share >= 0.5 && len(small) > 0 {
		if f := b.add("REMITTANCE_CHANNEL", share); f != nil {
			f.detail = fmt.Sprintf("%.0f%% of corridor payments by money-transfer operator, e-wallet or crypto", 100*share)
			f.evidence = ev(which(txRemit), "")
		}
	}
	if nInnocent > 0 {
		if f := b.add("INNOCENT_REFERENCE", float64(nInnocent)/2); f != nil {
			innocent := which(txInnocent | txSmall)
			f.detail = fmt.Sprintf("%d small payments with references such as %q", nInnocent, w.in.Case.Transactions.At(int(w.txs[innocent[0]].i)).Reference)
			f.evidence = ev(innocent, "")
		}
	}
	if !w.near[w.country[s]] && len(txs) >= 2 {
		if share := float64(nNight) / float64(len(txs)); share >= 0.5 {
			if f := b.add("NIGHT_PAYMENTS", share); f != nil {
				f.detail = fmt.Sprintf("%.0f%% of corridor payments between %02d:00 and %02d:00 in the sender's time", 100*share, p.NightStartHour, p.NightEndHour)
				f.evidence = ev(which(txNight), "")
			}
		}
	}
	if len(rel) > 0 {
		if f := b.add("RELATED_PURCHASES", float64(len(rel))/4); f != nil {
			cats := map[string]bool{}
			for _, k := range rel {
				cats[w.category[w.txs[k].r]] = true
			}
			f.detail = fmt.Sprintf("%d card payments to %s merchants", len(rel), strings.Join(keys(cats), ", "))
			f.evidence = ev(rel, "")
		}
	}
	// Links to what others reported: watchlist entries on the sender or
	// on its recipients.
	ws := w.watchStr[s]
	watchedAny := len(w.watch[s]) > 0
	for _, rc := range recips {
		if len(w.watch[rc.r]) > 0 {
			watchedAny = true
			ws = math.Max(ws, w.watchStr[rc.r])
		}
	}
	if watchedAny {
		if f := b.add("WATCHLIST_LINK", ws); f != nil {
			// Recipients in order: the evidence is capped, so that the
			// rows a lead shows are the same from one scan to the next.
			var watched []int32
			var watchEv []filo.Evidence
			for _, rc := range recips {
				if len(w.watch[rc.r]) > 0 {
					watched = append(watched, rc.txs...)
					watchEv = append(watchEv, w.watch[rc.r]...)
				}
			}
			watchEv = append(watchEv, w.watch[s]...)
			slices.Sort(watched)
			f.detail = fmt.Sprintf("%d payments to identities matching %d watchlist entries", len(watched), len(watchEv))
			f.evidence = capEvidence(append(ev(watched, "payment to a watchlisted identity"), watchEv...))
		}
	}
}

// amounts returns the amounts of payments ks, in dst's memory.
func (w *world) amounts(dst []float64, ks []int32) []float64 {
	dst = dst[:0]
	for _, k := range ks {
		dst = append(dst, w.txs[k].usd)
	}
	return dst
}

func capEvidence(e []filo.Evidence) []filo.Evidence {
	if len(e) > maxEvidence {
		return e[:maxEvidence]
	}
	return e
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (w *world) countriesOf(ks []int32) string {
	cs := map[string]bool{}
	for _, k := range ks {
		t := w.in.Case.Transactions.At(int(w.txs[k].i))
		cs[t.ReceiverCountry] = true
	}
	return strings.Join(keys(cs), ", ")
}

func isNight(h float64, start, end int) bool {
	if start > end {
		return h >= float64(start) || h < float64(end)
	}
	return h >= float64(start) && h < float64(end)
}

// gapsDays returns the days between payments ks in time order, in dst's
// memory; ts is a buffer for their times.
func (w *world) gapsDays(dst []float64, ts *[]int64, ks []int32) []float64 {
	t := (*ts)[:0]
	for _, k := range ks {
		t = append(t, w.txs[k].at)
	}
	slices.Sort(t)
	*ts = t
	dst = dst[:0]
	for i := 1; i < len(t); i++ {
		dst = append(dst, float64(t[i]-t[i-1])/86400)
	}
	return dst
}

// medianInPlace is the median of xs, which it sorts.
func medianInPlace(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func minMax(xs []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// near is the share of xs within frac of m.
func near(xs []float64, m, frac float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	n := 0
	for _, x := range xs {
		if math.Abs(x-m) <= frac*m {
			n++
		}
	}
	return float64(n) / float64(len(xs))
}

// cv is the coefficient of variation.
func cv(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	if m == 0 {
		return 0
	}
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return math.Sqrt(v/float64(len(xs)-1)) / m
}

// trend is the rank correlation (Spearman) of ys with their order, 0 for
// fewer than three.
func (sc *scratch) trend(ys []float64) float64 {
	n := len(ys)
	if n < 3 {
		return 0
	}
	ry := sc.rank(ys)
	m := float64(n-1) / 2
	var sxy, sxx, syy float64
	for i := 0; i < n; i++ {
		dx, dy := float64(i)-m, ry[i]-m
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// rank returns the rank of each of xs from 0, ties at their mean rank, in
// the scratch's memory.
func (sc *scratch) rank(xs []float64) []float64 {
	idx := sc.order[:0]
	for i := range xs {
		idx = append(idx, i)
	}
	sc.order = idx
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(xs[a], xs[b]) })
	r := slices.Grow(sc.ranks[:0], len(xs))[:len(xs)]
	sc.ranks = r
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && xs[idx[j+1]] == xs[idx[i]] {
			j++
		}
		avg := float64(i+j) / 2
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

// buyerLead turns a scored sender into a lead.
func (w *world) buyerLead(b *buyer) filo.Lead {
	l := filo.Lead{ID: "B-" + w.ids[b.e], Role: filo.RoleBuyer, Score: b.score, EntityIDs: []string{w.ids[b.e]}}
	l.PartyIDs = w.partyIDs(b.e)
	l.Reasons = w.reasons(b.feats)
	return l
}

func (w *world) partyIDs(es ...int32) []string {
	var out []string
	for _, e := range es {
		for _, pi := range w.parties[e] {
			out = append(out, w.in.Case.Parties[pi].ID)
		}
	}
	sort.Strings(out)
	return out
}

// reasons lists the features that add to a score, strongest first;
// counter-indicators follow, so an analyst sees what speaks against too.
func (w *world) reasons(fs []feature) []filo.Reason {
	var out []filo.Reason
	for _, f := range fs {
		ind := w.pol.Indicator(f.code)
		if ind == nil || ind.Weight == 0 {
			continue
		}
		out = append(out, filo.Reason{Code: f.code, Description: ind.Description, Source: strings.Join(ind.Sources, "; "),
			Contribution: math.Round(ind.Weight*f.strength*1000) / 1000, Detail: f.detail, Evidence: f.evidence})
	}
	sort.SliceStable(out, func(i, j int) bool {
		ci, cj := out[i].Contribution, out[j].Contribution
		if (ci > 0) != (cj > 0) {
			return ci > 0
		}
		if ci > 0 {
			return ci > cj
		}
		return ci < cj
	})
	return out
}
