package detect

import (
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
	e           int32
	feats       []feature
	score       float64
	fraudVictim bool
	nCorridor   int
}

func (b *buyer) sum(pol *policy.Policy) float64 { return sumFeatures(b.feats, pol) }

func (b *buyer) add(code string, strength float64, detail string, ev []filo.Evidence) {
	if strength <= 0 {
		return
	}
	b.feats = append(b.feats, feature{code: code, strength: math.Min(1, strength), detail: detail, evidence: ev})
}

func (b *buyer) addSignals(w *world, sigs []filo.TraceSignal) {
	b.feats = append(b.feats, signalFeatures(sigs)...)
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

// buyerFeatures evaluates every person who sent money into a corridor.
// ringOf and ppr are nil on the first pass (before rings are known).
func (w *world) buyerFeatures(ringOf map[int32]*ring, ppr []float64) []*buyer {
	bySender := map[int32][]int32{}
	related := map[int32][]int32{}
	for k := range w.txs {
		v := &w.txs[k]
		if w.org[v.s] {
			continue
		}
		if v.corridor {
			bySender[v.s] = append(bySender[v.s], int32(k))
		} else if w.relCats[w.category[v.r]] {
			related[v.s] = append(related[v.s], int32(k))
		}
	}
	senders := make([]int32, 0, len(bySender))
	for s := range bySender {
		senders = append(senders, s)
	}
	sort.Slice(senders, func(i, j int) bool { return senders[i] < senders[j] })
	// Who pays each corridor recipient: a facilitator is paid by many
	// people abroad, a relative or a partner by one family.
	payersOf := map[int32][]int32{}
	for _, s := range senders {
		for _, k := range bySender[s] {
			r := w.txs[k].r
			if l := payersOf[r]; len(l) == 0 || l[len(l)-1] != s {
				payersOf[r] = append(payersOf[r], s)
			}
		}
	}
	pprRef := 0.0
	if ppr != nil {
		vals := make([]float64, 0, len(senders))
		for _, s := range senders {
			vals = append(vals, ppr[s])
		}
		sort.Float64s(vals)
		if len(vals) > 0 {
			pprRef = vals[len(vals)*99/100]
		}
	}
	p := w.pol.Parameters
	out := make([]*buyer, 0, len(senders))
	for _, s := range senders {
		txs := bySender[s]
		b := &buyer{e: s, nCorridor: len(txs)}
		var small []int32
		for _, k := range txs {
			if w.txs[k].small {
				small = append(small, k)
			}
		}
		ev := w.txEvidence
		usd := func(ks []int32) []float64 {
			xs := make([]float64, len(ks))
			for i, k := range ks {
				xs[i] = w.txs[k].usd
			}
			return xs
		}
		if len(small) > 0 {
			lo, hi := minMax(usd(small))
			b.add("SMALL_CORRIDOR", float64(len(small))/3, fmt.Sprintf("%d payments of %.0f-%.0f USD into %s", len(small), lo, hi, w.countriesOf(small)), ev(small, ""))
		}
		// Gaps between small corridor payments.
		if len(small) >= 3 {
			gaps := gapsDays(w, small)
			if med := median(gaps); med <= p.FrequentGapDays {
				b.add("FREQUENT_SMALL", 1, fmt.Sprintf("%d small payments, median gap %.1f days", len(small), med), ev(small, ""))
			}
		}
		if len(small) >= 5 {
			amt := usd(small)
			idx := make([]float64, len(amt))
			for i := range idx {
				idx[i] = float64(i)
			}
			rho := spearman(idx, amt)
			gaps := gapsDays(w, small)
			gi := make([]float64, len(gaps))
			for i := range gi {
				gi[i] = float64(i)
			}
			rg := spearman(gi, gaps)
			if s := (rho - rg) / 2; s > 0.25 {
				b.add("ESCALATION", s, fmt.Sprintf("amount trend %+.2f, gap trend %+.2f (Spearman) over %d payments", rho, rg, len(small)), ev(small, ""))
			}
		}
		// Recipients and how they relate to the sender.
		recips := map[int32][]int32{}
		for _, k := range txs {
			recips[w.txs[k].r] = append(recips[w.txs[k].r], k)
		}
		var unrel []int32
		famTx := 0
		for r, ks := range recips {
			if w.unrelated(s, r) {
				hasSmall := false
				for _, k := range ks {
					hasSmall = hasSmall || w.txs[k].small
				}
				if hasSmall {
					unrel = append(unrel, r)
				}
			} else {
				famTx += len(ks)
			}
		}
		sort.Slice(unrel, func(i, j int) bool { return unrel[i] < unrel[j] })
		if len(unrel) >= 2 {
			var ks []int32
			for _, r := range unrel {
				ks = append(ks, recips[r][0])
			}
			b.add("FAN_OUT_UNRELATED", float64(len(unrel)-1)/2, fmt.Sprintf("%d corridor recipients with no family name or household in common", len(unrel)), ev(ks, "first payment to this recipient"))
		}
		// Exclusive recipients: nobody outside the sender's family pays any
		// of them. The converse of a facilitator's fan-in; it needs a few
		// payments, as one payment to a ring identity says little either way.
		if len(txs) >= 3 {
			exclusive := true
			for r := range recips {
				for _, o := range payersOf[r] {
					if o != s && w.unrelated(s, o) {
						exclusive = false
						break
					}
				}
				if !exclusive {
					break
				}
			}
			if exclusive {
				b.add("EXCLUSIVE_RECIPIENTS", 1, fmt.Sprintf("none of the %d corridor recipients is paid by anyone else in the data outside the sender's family", len(recips)), nil)
			}
		}
		if share := float64(famTx) / float64(len(txs)); share >= 0.5 {
			b.add("FAMILY_RECIPIENTS", share, fmt.Sprintf("%.0f%% of corridor payments go to recipients sharing the sender's family name or household", 100*share), nil)
		}
		// Regular rhythm and stable amounts to the main recipient.
		main, mainN := int32(-1), 0
		for r, ks := range recips {
			if len(ks) > mainN || len(ks) == mainN && r < main {
				main, mainN = r, len(ks)
			}
		}
		// Steady support: recipients paid again and again, over months, about
		// the same amount each time — family remittances, partner support,
		// sponsorships. Judged per recipient, so that several relatives paid
		// on their own rhythms count too.
		steady, steadyN := []int32(nil), 0
		for r, ks := range recips {
			if len(ks) < 4 {
				continue
			}
			amts := usd(ks)
			span := float64(w.txs[ks[len(ks)-1]].at-w.txs[ks[0]].at) / 86400
			if span >= 120 && near(amts, median(amts), 0.25) >= 0.6 {
				steady = append(steady, r)
				steadyN += len(ks)
			}
		}
		if share := float64(steadyN) / float64(len(txs)); share >= 0.5 {
			sort.Slice(steady, func(i, j int) bool { return steady[i] < steady[j] })
			var ks []int32
			for _, r := range steady {
				ks = append(ks, recips[r]...)
			}
			b.add("REGULAR_RHYTHM", share, fmt.Sprintf("%.0f%% of corridor payments go to %d recipients paid steadily over months, about the same amount each time", 100*share, len(steady)), ev(ks, ""))
		}
		if mainN >= 4 {
			ks := recips[main]
			// Romance-scam victims: large, escalating amounts to one recipient.
			amt := usd(ks)
			if median(amt) > 2*p.SmallMaxUSD && amt[len(amt)-1] > 2*amt[0] && float64(mainN) >= 0.8*float64(len(txs)) {
				b.fraudVictim = true
			}
		}
		if med := median(usd(txs)); med > p.SmallMaxUSD {
			b.add("LARGE_AMOUNTS", 1, fmt.Sprintf("median corridor payment %.0f USD", med), nil)
		}
		// Channel, references, time of day.
		var remit, innocent, night []int32
		for _, k := range txs {
			v := &w.txs[k]
			switch v.channel {
			case filo.ChannelMTO, filo.ChannelEwallet, filo.ChannelCrypto:
				remit = append(remit, k)
			}
			if v.innocent && v.small {
				innocent = append(innocent, k)
			}
			if isNight(v.hour, p.NightStartHour, p.NightEndHour) {
				night = append(night, k)
			}
		}
		if share := float64(len(remit)) / float64(len(txs)); share >= 0.5 && len(small) > 0 {
			b.add("REMITTANCE_CHANNEL", share, fmt.Sprintf("%.0f%% of corridor payments by money-transfer operator, e-wallet or crypto", 100*share), ev(remit, ""))
		}
		if len(innocent) > 0 {
			b.add("INNOCENT_REFERENCE", float64(len(innocent))/2, fmt.Sprintf("%d small payments with references such as %q", len(innocent), w.in.Case.Transactions[w.txs[innocent[0]].i].Reference), ev(innocent, ""))
		}
		if !w.near[w.country[s]] && len(txs) >= 2 {
			if share := float64(len(night)) / float64(len(txs)); share >= 0.5 {
				b.add("NIGHT_PAYMENTS", share, fmt.Sprintf("%.0f%% of corridor payments between %02d:00 and %02d:00 in the sender's time", 100*share, p.NightStartHour, p.NightEndHour), ev(night, ""))
			}
		}
		if rel := related[s]; len(rel) > 0 {
			cats := map[string]bool{}
			for _, k := range rel {
				cats[w.category[w.txs[k].r]] = true
			}
			b.add("RELATED_PURCHASES", float64(len(rel))/4, fmt.Sprintf("%d card payments to %s merchants", len(rel), strings.Join(keys(cats), ", ")), ev(rel, ""))
		}
		// Links to what others reported and to what the network found.
		var watched []int32
		var watchEv []filo.Evidence
		ws := w.watchStr[s]
		// Recipients in order: the evidence is capped, so map order would
		// change which rows a lead shows from one scan to the next.
		var watchedRecips []int32
		for r := range recips {
			if len(w.watch[r]) > 0 {
				watchedRecips = append(watchedRecips, r)
			}
		}
		slices.Sort(watchedRecips)
		for _, r := range watchedRecips {
			watched = append(watched, recips[r]...)
			watchEv = append(watchEv, w.watch[r]...)
			ws = math.Max(ws, w.watchStr[r])
		}
		if len(w.watch[s]) > 0 {
			watchEv = append(watchEv, w.watch[s]...)
		}
		if len(watchEv) > 0 {
			sort.Slice(watched, func(i, j int) bool { return watched[i] < watched[j] })
			e := append(ev(watched, "payment to a watchlisted identity"), watchEv...)
			b.add("WATCHLIST_LINK", ws, fmt.Sprintf("%d payments to identities matching %d watchlist entries", len(watched), len(watchEv)), capEvidence(e))
		}
		if ringOf != nil {
			var toRing []int32
			best := 0.0
			for r, ks := range recips {
				if rg := ringOf[r]; rg != nil && rg.score >= w.pol.RingThreshold {
					toRing = append(toRing, ks...)
					best = math.Max(best, rg.score)
				}
			}
			if len(toRing) > 0 {
				sort.Slice(toRing, func(i, j int) bool { return toRing[i] < toRing[j] })
				b.add("PAYS_SUSPECTED_RING", best, fmt.Sprintf("%d payments to identities of a suspected facilitator ring (ring score %.2f)", len(toRing), best), ev(toRing, ""))
			}
		}
		if ppr != nil && pprRef > 0 {
			if x := ppr[s] / pprRef; x > 0.1 {
				b.add("NETWORK_PROXIMITY", x, fmt.Sprintf("personalised PageRank %.2g (99th percentile of senders: %.2g)", ppr[s], pprRef), nil)
			}
		}
		out = append(out, b)
	}
	return out
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
		t := &w.in.Case.Transactions[w.txs[k].i]
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

func gapsDays(w *world, ks []int32) []float64 {
	ts := make([]int64, len(ks))
	for i, k := range ks {
		ts[i] = w.txs[k].at
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	gaps := make([]float64, 0, len(ts))
	for i := 1; i < len(ts); i++ {
		gaps = append(gaps, float64(ts[i]-ts[i-1])/86400)
	}
	return gaps
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	ys := append([]float64(nil), xs...)
	sort.Float64s(ys)
	n := len(ys)
	if n%2 == 1 {
		return ys[n/2]
	}
	return (ys[n/2-1] + ys[n/2]) / 2
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

// spearman is the rank correlation of two series.
func spearman(x, y []float64) float64 {
	n := len(x)
	if n < 3 || len(y) != n {
		return 0
	}
	rx, ry := ranks(x), ranks(y)
	mx, my := float64(n-1)/2, float64(n-1)/2
	var sxy, sxx, syy float64
	for i := 0; i < n; i++ {
		dx, dy := rx[i]-mx, ry[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
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
