// Package detect scores resolved entities for human review: buyers from
// their payments into risk corridors, facilitator rings from the fan-in of
// many unrelated foreign senders onto related identities, and both through
// the payment network. Every reason names its indicator, its figures and
// the source rows behind it. It decides nothing: it ranks leads.
package detect

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/normalize"
	"github.com/filoproject/filo/policy"
)

// Input is what detection works on.
type Input struct {
	Case         *filo.Case
	EntityOf     map[string]string  // party_id → entity id
	Related      []filo.Link        // LinkRelated links between party records
	Signals      []filo.TraceSignal // from online-trace analysis; may be empty
	Attributions []filo.Attribution // platform accounts attributed to entities; may be empty
	Now          time.Time
	// Phones is the scan's cache of normalised numbers; nil: none.
	Phones *normalize.PhoneCache
	// Fields are Case.Parties' names, emails and addresses as parsed
	// already; nil: they are parsed here.
	Fields *normalize.PartyFields
}

// Output is ranked leads and the suspected rings.
type Output struct {
	Leads []filo.Lead
	Rings [][]string // entity ids of each suspected ring, strongest first
	// BuyerScores holds every scored sender's score by entity id, leads or
	// not, for evaluation and ablation.
	BuyerScores map[string]float64
}

// maxEvidence rows are listed per reason; the detail says how many there are.
const maxEvidence = 20

// world is the case in dense form: entities as integers, transactions as a
// compact slice.
type world struct {
	in       *Input
	pol      *policy.Policy
	ids      []string         // entity index → id
	idx      map[string]int32 // entity id → index
	partyEnt []int32          // party index → entity
	parties  [][]int32        // entity → its party indices
	org      []bool
	category []string
	country  []string
	tokens   [][]string // distinct name tokens of 3+ letters
	related  map[[2]int32]bool
	relAdj   map[int32][]int32 // related entities of each entity
	watch    [][]filo.Evidence // watchlist hits per entity
	watchStr []float64         // strength of the best hit: an identifier counts more than a name
	// txs are the payments scoring reads, in the case's order: those into
	// a corridor and people's purchases from related merchants. The rest,
	// most of a large case, never count, and holding them would cost
	// memory the later stages need.
	txs      []txv
	corridor map[string]bool
	near     map[string]bool
	relCats  map[string]bool
	innocent []string
}

// txv is a payment as scoring reads it; 32 bytes, as a large case holds
// millions.
type txv struct {
	usd   float64
	at    int64 // unix seconds
	s, r  int32
	i     int32 // index into Case.Transactions
	flags txFlag
}

type txFlag uint8

const (
	txCorridor txFlag = 1 << iota // to a person in a corridor country from abroad
	txSmall
	txInnocent // a corridor payment whose reference reads like everyday support
	txNight    // at night in the sender's time
	txRemit    // by money-transfer operator, e-wallet or crypto
	txRelated  // a person's purchase from a merchant of a related category
)

func (v *txv) is(f txFlag) bool { return v.flags&f != 0 }

// Run scores every entity and returns ranked leads.
func Run(ctx context.Context, in Input, pol *policy.Policy) (*Output, error) {
	p, err := Prepare(ctx, in, pol)
	if err != nil {
		return nil, err
	}
	return p.Score(ctx, in.Signals, in.Attributions)
}

// Prepared is a case in the dense form scoring reads, with everything that
// does not depend on the trace signals worked out: the watchlist matched,
// each sender's indicators from its own payments, the rings before their
// trace signals and the network proximity. A scan scores the same case
// twice (before and after the online traces): each pass then only adds
// the signals and explains the leads.
type Prepared struct {
	w       *world
	senders *senders
	rings   []*ring   // before trace signals; Score copies them
	ppr     []float64 // network proximity of each entity
	pprRef  float64   // its 99th percentile over the senders
}

// Prepare builds the dense form of in (whose Signals and Attributions are
// ignored: Score takes them).
func Prepare(ctx context.Context, in Input, pol *policy.Policy) (*Prepared, error) {
	if in.Case == nil {
		return nil, fmt.Errorf("detect: no case")
	}
	w, byToken := build(&in, pol)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.matchWatchlist(byToken)
	ss := w.senders()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := &Prepared{w: w, senders: ss}
	p.rings = w.findRings(ss)
	p.ppr = w.proximity(p.rings)
	if len(ss.ids) > 0 {
		vals := make([]float64, len(ss.ids))
		for i, s := range ss.ids {
			vals[i] = p.ppr[s]
		}
		slices.Sort(vals)
		p.pprRef = vals[len(vals)*99/100]
	}
	return p, nil
}

// Score scores every entity with these trace signals and attributions and
// returns ranked leads. The prepared case is only read: Score may be
// called again with other signals.
func (p *Prepared) Score(ctx context.Context, sigs []filo.TraceSignal, atts []filo.Attribution) (*Output, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := p.w
	ctxt := p.scoring(sigs)
	ringOf := ctxt.ringOf
	ss := p.senders
	out := &Output{BuyerScores: make(map[string]float64, len(ss.ids))}
	var cands []int
	for i, s := range ss.ids {
		b := buyer{e: s, pol: w.pol, total: ss.base[i]}
		w.addContext(&b, nil, ctxt)
		score := logistic(b.total - w.pol.Bias)
		out.BuyerScores[w.ids[s]] = score
		if ss.victim[i] || score < w.pol.BuyerThreshold || ringOf[s] != nil {
			continue
		}
		cands = append(cands, i)
	}
	// Only leads are explained: their reasons, details and rows are worked
	// out again, a few senders in a thousand.
	leads := make([]filo.Lead, len(cands))
	inParallel(len(cands), 16, func() *scratch { return new(scratch) }, func(sc *scratch, lo, hi int) {
		for j := lo; j < hi; j++ {
			b := w.explainSender(ss, cands[j], ctxt, sc)
			leads[j] = w.buyerLead(b)
		}
	})
	leads = w.foldSamePerson(leads, ringOf)
	rank(leads)
	var ringLeads []filo.Lead
	for _, rg := range ctxt.rings {
		if rg.score < w.pol.RingThreshold {
			continue
		}
		ringLeads = append(ringLeads, w.ringLead(rg))
	}
	rank(ringLeads)
	for _, l := range ringLeads {
		out.Rings = append(out.Rings, l.EntityIDs)
	}
	out.Leads = append(leads, ringLeads...)
	return out, nil
}

// scoring works out what this pass knows beyond the senders' own
// payments: the rings with their trace signals, whom they make pay a
// suspected ring, and each entity's signals.
func (p *Prepared) scoring(sigs []filo.TraceSignal) *scoring {
	w := p.w
	signals := map[int32][]filo.TraceSignal{}
	for _, s := range sigs {
		if e, ok := w.idx[s.EntityID]; ok {
			signals[e] = append(signals[e], s)
		}
	}
	// A ring is scored with its own trace signals before its payers are:
	// a ring that is a lead makes PAYS_SUSPECTED_RING fire for everyone
	// who pays it.
	rings := make([]*ring, len(p.rings))
	ringOf := map[int32]*ring{}
	for i, pre := range p.rings {
		rg := *pre
		var rs []filo.TraceSignal
		for _, e := range rg.members {
			rs = append(rs, signals[e]...)
			ringOf[e] = &rg
		}
		rg.feats = append(slices.Clip(pre.feats), signalFeatures(rs)...)
		rg.score = logistic(sumFeatures(rg.feats, w.pol) - w.pol.RingBias)
		rings[i] = &rg
	}
	ringPay := map[int32]float64{}
	for _, rg := range rings {
		if rg.score < w.pol.RingThreshold {
			continue
		}
		for _, k := range rg.txs {
			if s := w.txs[k].s; !w.org[s] {
				ringPay[s] = math.Max(ringPay[s], rg.score)
			}
		}
	}
	return &scoring{rings: rings, ringOf: ringOf, ringPay: ringPay, ppr: p.ppr, pprRef: p.pprRef, signals: signals}
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// rank orders leads by score and numbers them from 1.
func rank(ls []filo.Lead) {
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].Score != ls[j].Score {
			return ls[i].Score > ls[j].Score
		}
		return ls[i].ID < ls[j].ID
	})
	for i := range ls {
		ls[i].Rank = i + 1
		ls[i].Score = math.Round(ls[i].Score*10000) / 10000
	}
}

// build makes the dense world of in. It returns too the parties by the
// name tokens of the watchlist's names, for matchWatchlist.
func build(in *Input, pol *policy.Policy) (*world, map[string][]int32) {
	c := in.Case
	w := &world{in: in, pol: pol, idx: map[string]int32{}, related: map[[2]int32]bool{}, relAdj: map[int32][]int32{},
		corridor: set(pol.Parameters.Corridors), near: set(pol.Parameters.NearZones), relCats: set(pol.Parameters.RelatedCategories)}
	for _, r := range pol.Parameters.InnocentReferences {
		w.innocent = append(w.innocent, strings.ToLower(r))
	}
	// Each party's entity and name tokens, on every core: the names are
	// parsed once here, for the tokens and for the watchlist.
	entOf := make([]string, len(c.Parties))
	toks := make([][]string, len(c.Parties)) // of 3+ letters, in order, repeats kept
	inParallel(len(c.Parties), 1024, func() struct{} { return struct{}{} }, func(_ struct{}, lo, hi int) {
		for i := lo; i < hi; i++ {
			p := &c.Parties[i]
			e, ok := in.EntityOf[p.ID]
			if !ok {
				e = "P:" + p.ID
			}
			entOf[i] = e
			for _, t := range in.Fields.Name(i, p.FullName).Tokens {
				if len(t) >= 3 {
					toks[i] = append(toks[i], t)
				}
			}
		}
	})
	// Dense entity ids, sorted so that results never depend on map order.
	seen := make(map[string]bool, len(c.Parties))
	var ids []string
	for _, e := range entOf {
		if !seen[e] {
			seen[e] = true
			ids = append(ids, e)
		}
	}
	seen = nil
	sort.Strings(ids)
	w.ids = ids
	w.idx = make(map[string]int32, len(ids))
	for i, id := range ids {
		w.idx[id] = int32(i)
	}
	n := len(ids)
	w.parties = make([][]int32, n)
	w.org = make([]bool, n)
	w.category = make([]string, n)
	w.country = make([]string, n)
	w.tokens = make([][]string, n)
	w.watch = make([][]filo.Evidence, n)
	w.watchStr = make([]float64, n)
	w.partyEnt = make([]int32, len(c.Parties))
	partyIdx := make(map[string]int32, len(c.Parties))
	byToken := watchedTokens(c.Watchlist)
	for i := range c.Parties {
		p := &c.Parties[i]
		e := w.idx[entOf[i]]
		w.partyEnt[i] = e
		partyIdx[p.ID] = int32(i)
		w.parties[e] = append(w.parties[e], int32(i))
		if p.Kind == filo.KindOrganization {
			w.org[e] = true
		}
		if p.MerchantCategory != "" {
			w.category[e] = p.MerchantCategory
		}
		if w.country[e] == "" {
			w.country[e] = p.Country
		}
		for _, t := range toks[i] {
			if !contains(w.tokens[e], t) {
				w.tokens[e] = append(w.tokens[e], t)
			}
			if l, ok := byToken[t]; ok {
				byToken[t] = append(l, int32(i))
			}
		}
	}
	entOf, toks = nil, nil
	for _, l := range in.Related {
		a, okA := in.EntityOf[l.A.ID]
		b, okB := in.EntityOf[l.B.ID]
		if !okA || !okB || a == b {
			continue
		}
		x, y := w.idx[a], w.idx[b]
		if !w.related[[2]int32{x, y}] {
			w.relAdj[x] = append(w.relAdj[x], y)
			w.relAdj[y] = append(w.relAdj[y], x)
		}
		w.related[[2]int32{x, y}] = true
		w.related[[2]int32{y, x}] = true
	}
	// Payments to related merchants count by the merchant's category.
	relCat := make([]bool, n)
	for e, c := range w.category {
		relCat[e] = w.relCats[c]
	}
	// The parties the payments' dictionary names, by code: each lookup in
	// the large party index is a few cache misses, and a party pays and is
	// paid many times over.
	dict := c.Transactions.Dict()
	partyOf := make([]int32, len(dict))
	inParallel(len(dict), 1<<14, func() struct{} { return struct{}{} }, func(_ struct{}, lo, hi int) {
		for k := lo; k < hi; k++ {
			if i, ok := partyIdx[dict[k]]; ok {
				partyOf[k] = i
			} else {
				partyOf[k] = -1
			}
		}
	})
	partyIdx = nil
	// The payments, in parts on every core, joined in the case's order.
	const part = 1 << 16
	parts := make([][]txv, (c.Transactions.Len()+part-1)/part)
	inParallel(c.Transactions.Len(), part, func() *[]txv { return new([]txv) }, func(buf *[]txv, lo, hi int) {
		*buf = w.payments((*buf)[:0], partyOf, relCat, lo, hi)
		parts[lo/part] = slices.Clone(*buf)
	})
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	w.txs = make([]txv, 0, total)
	for i, p := range parts {
		w.txs = append(w.txs, p...)
		parts[i] = nil
	}
	return w, byToken
}

// payments appends to out the payments scoring reads among transactions
// [lo, hi). partyOf gives the party index of each code of the transactions'
// dictionary, -1 for a value that is not a party's id.
func (w *world) payments(out []txv, partyOf []int32, relCat []bool, lo, hi int) []txv {
	c := w.in.Case
	p := w.pol.Parameters
	for i := lo; i < hi; i++ {
		sk, rk := c.Transactions.PartyCodes(i)
		si, ri := partyOf[sk], partyOf[rk]
		if si < 0 || ri < 0 {
			continue
		}
		t := c.Transactions.At(i)
		// Most payments neither go into a corridor nor buy from a related
		// merchant; when their countries are given, the receiver alone
		// tells.
		if sc, rc, r := t.SenderCountry, t.ReceiverCountry, w.partyEnt[ri]; sc != "" && rc != "" && (sc == rc || !w.corridor[rc] || w.org[r]) && !relCat[r] {
			continue
		}
		s, r := w.partyEnt[si], w.partyEnt[ri]
		rc := t.ReceiverCountry
		if rc == "" {
			rc = c.Parties[ri].Country
		}
		sc := t.SenderCountry
		if sc == "" {
			sc = c.Parties[si].Country
		}
		v := txv{s: s, r: r, usd: t.AmountUSD, i: int32(i)}
		switch {
		case !w.org[r] && sc != rc && w.corridor[rc]:
			v.flags |= txCorridor
		case !w.org[s] && relCat[r]:
			v.flags |= txRelated
		default:
			continue
		}
		v.at = t.Time.Unix()
		if t.AmountUSD <= p.SmallMaxUSD {
			v.flags |= txSmall
		}
		h, m, _ := t.Time.Clock()
		if isNight(float64(h)+float64(m)/60, p.NightStartHour, p.NightEndHour) {
			v.flags |= txNight
		}
		switch t.Channel {
		case filo.ChannelMTO, filo.ChannelEwallet, filo.ChannelCrypto:
			v.flags |= txRemit
		}
		if t.Reference != "" && v.is(txCorridor) {
			ref := strings.ToLower(t.Reference)
			for _, k := range w.innocent {
				if strings.Contains(ref, k) {
					v.flags |= txInnocent
					break
				}
			}
		}
		out = append(out, v)
	}
	return out
}

func set(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// unrelated: no related link and no shared family-name token.
func (w *world) unrelated(a, b int32) bool {
	if w.related[[2]int32{a, b}] {
		return false
	}
	for _, x := range w.tokens[a] {
		if contains(w.tokens[b], x) {
			return false
		}
	}
	return true
}

// txEvidence lists the first maxEvidence transactions of ks as evidence rows.
func (w *world) txEvidence(ks []int32, note string) []filo.Evidence {
	var out []filo.Evidence
	for _, k := range ks {
		if len(out) == maxEvidence {
			break
		}
		t := w.in.Case.Transactions.At(int(w.txs[k].i))
		out = append(out, filo.Evidence{Kind: filo.EvidenceTransaction, RecordID: t.ID, File: t.Prov.File, Line: t.Prov.Line, Note: note})
	}
	return out
}

// watchedTokens returns the name tokens of the watchlist's names as keys,
// for build to list the parties under.
func watchedTokens(wl []filo.WatchEntry) map[string][]int32 {
	m := map[string][]int32{}
	for _, we := range wl {
		if we.Kind == filo.WatchName {
			for _, t := range normalize.ParseName(we.Value).Tokens {
				m[t] = nil
			}
		}
	}
	return m
}

// matchWatchlist ties watchlist entries to entities: phones and emails
// exactly (normalised), id numbers exactly, names fuzzily within the
// entry's country. byToken lists the parties under each token of the
// listed names.
func (w *world) matchWatchlist(byToken map[string][]int32) {
	c := w.in.Case
	if len(c.Watchlist) == 0 {
		return
	}
	// The listed identifiers first: the parties are looked up by those
	// only, not indexed by all of theirs.
	byPhone, byEmail, byID := map[string][]int32{}, map[string][]int32{}, map[string][]int32{}
	listed := make([]string, len(c.Watchlist)) // each identifier entry, normalised
	for i, we := range c.Watchlist {
		var m map[string][]int32
		switch we.Kind {
		case filo.WatchPhone:
			listed[i], m = w.in.Phones.Phone(we.Value, we.Country), byPhone
		case filo.WatchEmail:
			listed[i], m = normalize.Email(we.Value), byEmail
		case filo.WatchIDNumber:
			listed[i], m = normalize.IDNumber(we.Value), byID
		}
		if listed[i] != "" {
			m[listed[i]] = nil
		}
	}
	// The parties' identifiers are normalised on every core; the few
	// listed ones are gathered in party order.
	type hit struct {
		by  map[string][]int32
		key string
		pi  int32
	}
	const chunk = 4096
	found := make([][]hit, (len(c.Parties)+chunk-1)/chunk)
	inParallel(len(c.Parties), chunk, func() struct{} { return struct{}{} }, func(_ struct{}, lo, hi int) {
		var hs []hit
		check := func(by map[string][]int32, key string, pi int) {
			if _, ok := by[key]; ok && key != "" {
				hs = append(hs, hit{by, key, int32(pi)})
			}
		}
		for i := lo; i < hi; i++ {
			p := &c.Parties[i]
			if len(byPhone) > 0 {
				check(byPhone, w.in.Phones.Known(p.PhoneE164, p.Phone, p.Country), i)
			}
			if len(byEmail) > 0 {
				check(byEmail, w.in.Fields.Email(i, p.Email), i)
			}
			if len(byID) > 0 {
				check(byID, normalize.IDNumber(p.IDNumber), i)
			}
		}
		found[lo/chunk] = hs
	})
	for _, hs := range found {
		for _, h := range hs {
			h.by[h.key] = append(h.by[h.key], h.pi)
		}
	}
	names := map[int32]normalize.Name{} // of the parties a listed name is compared with
	nameOf := func(pi int32) normalize.Name {
		n, ok := names[pi]
		if !ok {
			n = w.in.Fields.Name(int(pi), c.Parties[pi].FullName)
			names[pi] = n
		}
		return n
	}
	for i, we := range c.Watchlist {
		ev := filo.Evidence{Kind: filo.EvidenceWatchlist, RecordID: we.Kind + ":" + we.Value, File: we.Prov.File, Line: we.Prov.Line, Note: we.Source}
		var hits []int32
		switch we.Kind {
		case filo.WatchPhone:
			hits = byPhone[listed[i]]
		case filo.WatchEmail:
			hits = byEmail[listed[i]]
		case filo.WatchIDNumber:
			hits = byID[listed[i]]
		case filo.WatchName:
			wn := normalize.ParseName(we.Value)
			// Candidates share the rarest token of the listed name.
			var cands []int32
			for _, t := range wn.Tokens {
				if l := byToken[t]; len(l) > 0 && (cands == nil || len(l) < len(cands)) {
					cands = l
				}
			}
			for _, pi := range cands {
				p := &c.Parties[pi]
				if we.Country != "" && p.Country != "" && we.Country != p.Country {
					continue
				}
				if normalize.TokenSimilarity(wn, nameOf(pi)) >= 0.92 && len(wn.Tokens) >= 2 {
					hits = append(hits, pi)
				}
			}
		}
		done := map[int32]bool{}
		var ents []int32
		for _, pi := range hits {
			if e := w.partyEnt[pi]; !done[e] {
				done[e] = true
				ents = append(ents, e)
			}
		}
		// A name alone is weak: common names recur, and partners write them
		// loosely; a name that fits several people says little about each.
		// Identifiers are strong.
		strength := 1.0
		if we.Kind == filo.WatchName {
			strength = 0.4 / float64(len(ents))
		}
		for _, e := range ents {
			w.watch[e] = append(w.watch[e], ev)
			w.watchStr[e] = math.Max(w.watchStr[e], strength)
		}
	}
}
