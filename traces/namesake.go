package traces

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/filoproject/filo"
)

// callsOfNamesake moves an account to a candidate buyer when the account's
// home line gives it to e, a person with no buyer lead, and the account's
// video calls to a suspected ring's accounts line up with that buyer's
// payments to the ring beyond what shifted timelines give, and e and the
// buyer are probably one person (names agree, no birth date, id number or
// country against it). Entity resolution keeps a buyer's money-transfer
// record apart from the bank record that names his home line when nothing
// but the name is shared; the name alone does not say they are one person
// (namesakes are common), but the name, the home line and calls to the ring
// he pays at the times he pays it do. The attributions are changed in
// place; each moved one says why in its method and chain. The other
// accounts attributed to that entity follow the buyer (namesake_line).
func (a *analysis) callsOfNamesake(atts []filo.Attribution) {
	c := a.in.Case
	ringOf := a.ringOf
	if len(ringOf) == 0 || len(a.buyer) == 0 {
		return
	}
	owner := a.owners(atts)
	at := map[int32]int{} // account → index of its attribution, for accounts of people with no lead
	for i := range atts {
		if e := atts[i].EntityID; !a.buyer[e] {
			if _, ring := ringOf[e]; !ring {
				at[a.accts.byRef[atts[i].PlatformAccount]] = i
			}
		}
	}
	// A ring's accounts are often attributed to no one (its identities
	// are relatives' names, its lines mobile). An account that accounts of
	// two or more candidate buyers call counts as the ring side too.
	callers := map[int32]map[string]bool{} // peer → buyers whose accounts call it
	for _, vc := range a.calls {
		if c.Sessions.At(int(vc.session)).PeerAccountID == "" {
			continue
		}
		if b := owner[vc.acct]; a.buyer[b] {
			if callers[vc.peer] == nil {
				callers[vc.peer] = map[string]bool{}
			}
			callers[vc.peer][b] = true
		}
	}
	type call struct {
		t    int64
		ring int // -1: an account of an unknown ring
		s    filo.Session
	}
	calls := map[int32][]call{}
	for _, vc := range a.calls {
		s := c.Sessions.At(int(vc.session))
		if s.PeerAccountID == "" {
			continue
		}
		if _, ok := at[vc.acct]; !ok {
			continue
		}
		// Only calls to the ring side count: a call to anyone else says
		// nothing about payments to a ring.
		rg, ok := ringOf[owner[vc.peer]]
		if !ok {
			if owner[vc.peer] != "" || len(callers[vc.peer]) < 2 {
				continue
			}
			rg = -1
		}
		calls[vc.acct] = append(calls[vc.acct], call{s.Start.Unix(), rg, s})
	}
	if len(calls) == 0 {
		return
	}
	type payment struct {
		t    int64
		ring int
		tx   filo.Transaction
	}
	pays := map[string][]payment{} // candidate buyer → payments to rings
	for _, py := range a.pays {
		if a.buyer[py.sender] {
			t := c.Transactions.At(int(py.tx))
			pays[py.sender] = append(pays[py.sender], payment{t.Time.Unix(), int(py.ring), t})
		}
	}
	refs := slices.Collect(maps.Keys(calls))
	a.accts.byRefOrder(refs)
	win := int64(a.opt.CallWindow.Seconds())
	r := rand.New(rand.NewPCG(a.opt.Seed, 0x5a4e))
	type move struct {
		buyer string
		p     float64
		ev    []filo.Evidence
		n     int // accounts moved
	}
	moved := map[string]*move{} // entity left → where its accounts went; buyer "" when two buyers took some
	for _, acc := range refs {
		ref := a.accts.refs[acc]
		i := at[acc]
		e := atts[i].EntityID
		found, foundP := "", 0.0
		var foundEv []filo.Evidence
		called := map[int]bool{}
		for _, cl := range calls[acc] {
			called[cl.ring] = true
		}
		for _, b := range a.namesakeBuyers(e) {
			// The buyer's payments to the rings the account called.
			var ps, ts []int64
			var ev []filo.Evidence
			for _, p := range pays[b] {
				if called[p.ring] || called[-1] {
					ps = append(ps, p.t)
				}
			}
			for _, cl := range calls[acc] {
				ts = append(ts, cl.t)
			}
			sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
			obs, p := chance(ps, ts, win, a.opt.Shifts, r)
			if obs == 0 || p > a.opt.MaxP {
				continue
			}
			if found != "" {
				found = "" // two buyers fit: leave the account where it was
				break
			}
			for _, py := range pays[b] {
				if (called[py.ring] || called[-1]) && len(ev) < 3 && nearAny(py.t, ts, win) {
					ev = append(ev, filo.Evidence{Kind: filo.EvidenceTransaction, RecordID: py.tx.ID, File: py.tx.Prov.File, Line: py.tx.Prov.Line, Note: "a payment of the buyer's to the ring the account called"})
				}
			}
			for _, cl := range calls[acc] {
				if len(ev) < 6 && nearAny(cl.t, ps, win) {
					ev = append(ev, filo.Evidence{Kind: filo.EvidenceSession, RecordID: cl.s.SessionID, File: cl.s.Prov.File, Line: cl.s.Prov.Line, Note: "video call to an account of the ring"})
				}
			}
			found, foundP = b, p
			bp := &c.Parties[a.members[b][0]]
			foundEv = append(ev, filo.Evidence{Kind: filo.EvidenceParty, RecordID: bp.ID, File: bp.Prov.File, Line: bp.Prov.Line,
				Note: fmt.Sprintf("the buyer, probably the holder of the home line (names agree, nothing against it): %d of his payments to the ring had a call of account %s within %s (p = %.3f against %d shifted timelines)", obs, ref, a.opt.CallWindow, p, a.opt.Shifts)})
		}
		if found == "" {
			continue
		}
		x := &atts[i]
		x.EntityID = found
		x.Confidence = math.Round(x.Confidence*(1-foundP)*1000) / 1000
		if !strings.Contains(x.Method, "namesake_calls") {
			x.Method += "+namesake_calls"
		}
		x.Chain = append(x.Chain[:len(x.Chain):len(x.Chain)], foundEv...)
		switch m := moved[e]; {
		case m == nil:
			moved[e] = &move{buyer: found, p: foundP, ev: foundEv, n: 1}
		case m.buyer != found:
			m.buyer = ""
		default:
			m.n++
			m.p = math.Max(m.p, foundP)
		}
	}
	// The other accounts of the line's holder follow, with less confidence:
	// once one account of the line behaves as the buyer's, the line and
	// what it ties to its holder are presumably his too.
	for i := range atts {
		x := &atts[i]
		m := moved[x.EntityID]
		if m == nil || m.buyer == "" {
			continue
		}
		conf := math.Round(x.Confidence*(1-m.p)*0.9*1000) / 1000
		if conf < a.opt.MinConfidence {
			continue
		}
		x.EntityID, x.Confidence = m.buyer, conf
		x.Method += "+namesake_line"
		x.Chain = append(x.Chain[:len(x.Chain):len(x.Chain)], m.ev...)
	}
}

// namesakeBuyers are the candidate buyers who are probably the same person
// as e.
func (a *analysis) namesakeBuyers(e string) []string {
	if a.buyerTokens == nil {
		a.buyerTokens = a.buyersByToken()
	}
	seen := map[string]bool{e: true}
	var out []string
	for _, i := range a.members[e] {
		for _, t := range a.names[i].Tokens {
			if len(t) < 3 {
				continue
			}
			for _, b := range a.buyerTokens[t] {
				if seen[b] {
					continue
				}
				seen[b] = true
				if a.samePersonLikely(e, b) {
					out = append(out, b)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// buyersByToken files the candidate buyers by the name tokens of their
// records, as byToken files all parties: a common token's list of all
// parties grows with the world, and walking it for every account to be
// moved made namesakeBuyers quadratic.
func (a *analysis) buyersByToken() map[string][]string {
	m := map[string][]string{}
	for _, b := range a.in.Buyers {
		for _, i := range a.members[b] {
			for _, t := range a.names[i].Tokens {
				if len(t) >= 3 {
					m[t] = append(m[t], b)
				}
			}
		}
	}
	return m
}

// chance counts the payments with a call within win seconds and the share
// of randomly shifted payment timelines that line up as often or more: a
// permutation test against coincidence.
func chance(pays, calls []int64, win int64, shifts int, r *rand.Rand) (int, float64) {
	obs := lined(pays, calls, win, 0)
	if obs == 0 {
		return 0, 1
	}
	ge := 0
	for k := 0; k < shifts; k++ {
		shift := int64((2 + r.Float64()*28) * 86400)
		if r.IntN(2) == 0 {
			shift = -shift
		}
		if lined(pays, calls, win, shift) >= obs {
			ge++
		}
	}
	return obs, float64(1+ge) / float64(1+shifts)
}

// nearAny says whether some of the sorted times ts lies within win of t.
func nearAny(t int64, ts []int64, win int64) bool {
	i := sort.Search(len(ts), func(i int) bool { return ts[i] >= t-win })
	return i < len(ts) && ts[i] <= t+win
}
