// Package traces ties online traces to people and payments: platform
// accounts to persons through identifiers, session IPs and provider
// subscriber records, chats quoting a transfer's control number, and video
// calls that line up with payments beyond what chance gives. Every
// attribution carries its chain of evidence and a confidence.
package traces

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/normalize"
)

// Input is what trace analysis works on.
type Input struct {
	Case     *filo.Case
	EntityOf map[string]string // party_id → entity id
	Rings    [][]string        // entity ids of each suspected facilitator ring; may be empty
	Buyers   []string          // entity ids of candidate buyer leads; may be empty
	// Phones is the scan's cache of normalised numbers; nil: none.
	Phones *normalize.PhoneCache
}

// Output is attributions and signals for scoring.
type Output struct {
	Attributions []filo.Attribution
	Signals      []filo.TraceSignal
	// SamePerson lists, per attributed account, the other entities its
	// evidence pointed at that are probably the attributed person, kept
	// apart by entity resolution; Retarget reads it.
	SamePerson map[string][]string
}

// Options tune the analysis.
type Options struct {
	MinConfidence float64       // attributions below are dropped; 0 means 0.5
	CallWindow    time.Duration // a call this close to a payment lines up with it; 0 means 2h
	Shifts        int           // shifted timelines for the chance baseline; 0 means 200
	MaxP          float64       // significance needed; 0 means 0.02
	Seed          uint64
}

func (o *Options) defaults() {
	if o.MinConfidence == 0 {
		o.MinConfidence = 0.5
	}
	if o.CallWindow == 0 {
		o.CallWindow = 2 * time.Hour
	}
	if o.Shifts == 0 {
		o.Shifts = 200
	}
	if o.MaxP == 0 {
		o.MaxP = 0.02
	}
}

// claim is one piece of evidence that an account belongs to an entity.
type claim struct {
	conf   float64
	method string
	chain  []filo.Evidence
	days   map[int64]bool // distinct days of sessions behind an IP claim
}

type analysis struct {
	in      *Input
	opt     Options
	parties map[string]*filo.Party
	byPhone map[string][]string // E.164 → entity ids
	byEmail map[string][]string
	byNSN   map[string][]string // national significant number → entity ids
	byToken map[string][]int    // name token → party indices
	byAddr  map[string][]int    // normalised address → party indices
	names   []normalize.Name
	claims  map[string]map[string]*claim // account ref → entity → claim
	members map[string][]int             // entity → party indices
	buyer   map[string]bool              // candidate buyer entities
	facts   map[string][]normalize.Facts // entity → its records as normalize.SamePersonLikely reads them
}

// Analyze attributes platform accounts and finds trace signals.
func Analyze(ctx context.Context, in Input, opt Options) (*Output, error) {
	opt.defaults()
	a := &analysis{in: &in, opt: opt, parties: map[string]*filo.Party{}, byPhone: map[string][]string{}, byEmail: map[string][]string{}, byNSN: map[string][]string{},
		byToken: map[string][]int{}, byAddr: map[string][]int{}, claims: map[string]map[string]*claim{},
		members: map[string][]int{}, buyer: map[string]bool{}, facts: map[string][]normalize.Facts{}}
	for _, e := range in.Buyers {
		a.buyer[e] = true
	}
	c := in.Case
	a.names = make([]normalize.Name, len(c.Parties))
	for i := range c.Parties {
		p := &c.Parties[i]
		a.parties[p.ID] = p
		e := in.EntityOf[p.ID]
		if e == "" {
			continue
		}
		if ph := in.Phones.Phone(p.Phone, p.Country); ph != "" {
			a.byPhone[ph] = addOnce(a.byPhone[ph], e)
			if n := in.Phones.NationalNumber(ph); n != "" {
				a.byNSN[n] = addOnce(a.byNSN[n], e)
			}
		}
		if em := normalize.Email(p.Email); em != "" {
			a.byEmail[em] = addOnce(a.byEmail[em], e)
		}
		a.names[i] = normalize.ParseName(p.FullName)
		a.members[e] = append(a.members[e], i)
		if addr := normalize.Address(p.Address); len(addr) > 0 {
			k := strings.Join(addr, " ")
			a.byAddr[k] = append(a.byAddr[k], i)
		}
		for _, t := range a.names[i].Tokens {
			if len(t) >= 3 {
				a.byToken[t] = append(a.byToken[t], i)
			}
		}
	}
	a.identifiers()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.sessionsToSubscribers()
	out := &Output{}
	out.Signals = append(out.Signals, a.chats()...)
	out.Attributions, out.SamePerson = a.attributions()
	a.callsOfNamesake(out.Attributions)
	out.Signals = append(out.Signals, a.correlate(out.Attributions)...)
	for _, at := range out.Attributions {
		out.Signals = append(out.Signals, filo.TraceSignal{EntityID: at.EntityID, Code: "ATTRIBUTED_ACCOUNT", Strength: at.Confidence,
			Detail: fmt.Sprintf("platform account %s attributed (%s, confidence %.2f)", at.PlatformAccount, at.Method, at.Confidence), Evidence: at.Chain})
	}
	sort.SliceStable(out.Signals, func(i, j int) bool {
		if out.Signals[i].EntityID != out.Signals[j].EntityID {
			return out.Signals[i].EntityID < out.Signals[j].EntityID
		}
		return out.Signals[i].Code < out.Signals[j].Code
	})
	return out, nil
}

func addOnce(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

func (a *analysis) claim(account, entity, method string, conf float64, chain ...filo.Evidence) *claim {
	m := a.claims[account]
	if m == nil {
		m = map[string]*claim{}
		a.claims[account] = m
	}
	c := m[entity]
	if c == nil {
		c = &claim{days: map[int64]bool{}}
		m[entity] = c
	}
	if !strings.Contains(c.method, method) {
		if c.method != "" {
			c.method += "+"
		}
		c.method += method
	}
	// Independent pieces of evidence combine: 1 - Π(1 - c).
	c.conf = 1 - (1-c.conf)*(1-conf)
	if len(c.chain) < 12 {
		c.chain = append(c.chain, chain...)
	}
	return c
}

// identifiers: an email or phone on the account that a single person's
// records carry.
func (a *analysis) identifiers() {
	for _, pa := range a.in.Case.PlatformAccounts {
		ev := filo.Evidence{Kind: filo.EvidencePlatformAccount, RecordID: pa.Ref(), File: pa.Prov.File, Line: pa.Prov.Line}
		if em := normalize.Email(pa.Email); em != "" && len(a.byEmail[em]) == 1 {
			a.claim(pa.Ref(), a.byEmail[em][0], "identifier:email", 0.95, ev)
		}
		if ph := a.in.Phones.Phone(pa.Phone, ""); ph != "" && len(a.byPhone[ph]) == 1 {
			a.claim(pa.Ref(), a.byPhone[ph][0], "identifier:phone", 0.9, ev)
		}
	}
}

// subscriberByIdentifier resolves a subscriber record by a phone or email
// that a single person's records carry; "" when none does.
func (a *analysis) subscriberByIdentifier(s *filo.Subscriber) (string, float64) {
	if ph := a.in.Phones.Phone(s.Phone, ""); ph != "" && len(a.byPhone[ph]) == 1 {
		return a.byPhone[ph][0], 0.95
	}
	// A provider writes its subscribers' numbers in national form, and a
	// subscriber record has no country to read it with: compare the
	// national significant number.
	if n := normalize.NationalDigits(s.Phone); len(n) >= 7 && len(a.byNSN[n]) == 1 {
		return a.byNSN[n][0], 0.9
	}
	if em := normalize.Email(s.Email); em != "" && len(a.byEmail[em]) == 1 {
		return a.byEmail[em][0], 0.95
	}
	return "", 0
}

// subscriberEntity resolves a subscriber record to one entity: by phone or
// email when a single person's records carry it, else by a close name with
// a matching address. Ambiguity gives no one.
func (a *analysis) subscriberEntity(s *filo.Subscriber) (string, float64, []filo.Evidence) {
	if e, conf := a.subscriberByIdentifier(s); e != "" {
		return e, conf, nil
	}
	n := normalize.ParseName(s.SubscriberName)
	addr := normalize.Address(s.Address)
	// Candidates live at the subscriber's address; failing that, they share
	// a token with the subscriber's name (every token, as one record may
	// carry only an initial of the given name).
	cands := a.byAddr[strings.Join(addr, " ")]
	if len(cands) == 0 {
		seen := map[int]bool{}
		for _, t := range n.Tokens {
			if l := a.byToken[t]; len(l) <= 500 {
				for _, pi := range l {
					if !seen[pi] {
						seen[pi] = true
						cands = append(cands, pi)
					}
				}
			}
		}
		sort.Ints(cands)
	}
	found, best := "", 0.0
	var ev []filo.Evidence
	for _, pi := range cands {
		p := &a.in.Case.Parties[pi]
		if normalize.TokenSimilarity(n, a.names[pi]) < 0.9 {
			continue
		}
		pa := normalize.Address(p.Address)
		conf := 0.0
		switch {
		case len(addr) > 0 && len(pa) > 0 && overlap(addr, pa) >= 0.6:
			conf = 0.9
		default:
			continue
		}
		e := a.in.EntityOf[p.ID]
		if found != "" && found != e {
			// Two entities fit. If they are probably one person that entity
			// resolution kept apart, the line is that person's, and the
			// buyer among them (if one) takes it; otherwise two people fit
			// and nothing is attributed.
			if !a.samePersonLikely(found, e) {
				return "", 0, nil
			}
			if a.buyer[e] && !a.buyer[found] {
				found = e
				ev = []filo.Evidence{{Kind: filo.EvidenceParty, RecordID: p.ID, File: p.Prov.File, Line: p.Prov.Line, Note: "name and address match the subscriber"}}
			}
			continue
		}
		if conf > best {
			found, best = e, conf
			ev = []filo.Evidence{{Kind: filo.EvidenceParty, RecordID: p.ID, File: p.Prov.File, Line: p.Prov.Line, Note: "name and address match the subscriber"}}
		}
	}
	return found, best, ev
}

func overlap(a, b []string) float64 {
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	n := 0
	for _, y := range b {
		if m[y] {
			n++
		}
	}
	return float64(n) / float64(min(len(a), len(b)))
}

// sessionsToSubscribers: a session's IP at its time → the subscriber whose
// lease covered it → the person.
func (a *analysis) sessionsToSubscribers() {
	c := a.in.Case
	byIP := map[string][]int{}
	for i := range c.Subscribers {
		byIP[c.Subscribers[i].IP] = append(byIP[c.Subscribers[i].IP], i)
	}
	type resolved struct {
		entity string
		conf   float64
		ev     []filo.Evidence
		done   bool
	}
	cache := make([]resolved, len(c.Subscribers))
	var line map[string][]int // normalised address → subscriber records, built when first needed
	for i := range c.Sessions {
		// By pointer: a session is 192 bytes, and there are millions.
		s := &c.Sessions[i]
		if s.IP == "" {
			continue
		}
		subs := byIP[s.IP]
		for _, si := range subs {
			sub := &c.Subscribers[si]
			if !sub.Start.IsZero() && s.Start.Before(sub.Start) || !sub.End.IsZero() && !s.Start.Before(sub.End) {
				continue
			}
			r := &cache[si]
			if !r.done {
				r.entity, r.conf, r.ev = a.subscriberEntity(sub)
				r.done = true
				// Only a lease matched by name and address (the match
				// carries the party record; an identifier match carries
				// none) can be told by its siblings whose it is.
				if r.entity != "" && r.ev != nil && !a.buyer[r.entity] {
					if line == nil {
						line = a.linesByAddress()
					}
					if b, ev := a.sameLineBuyer(si, r.entity, line); b != "" {
						r.entity, r.ev = b, append(r.ev, ev...)
					}
				}
			}
			if r.entity == "" {
				continue
			}
			ref := filo.PlatformRef(s.Platform, s.AccountID)
			day := s.Start.Unix() / 86400
			m := a.claims[ref]
			cl := m[r.entity]
			if cl != nil && cl.days[day] {
				continue
			}
			chain := []filo.Evidence{
				{Kind: filo.EvidenceSession, RecordID: s.SessionID, File: s.Prov.File, Line: s.Prov.Line, Note: "from " + s.IP},
				{Kind: filo.EvidenceSubscriber, RecordID: sub.IP, File: sub.Prov.File, Line: sub.Prov.Line, Note: "lease held by " + sub.SubscriberName},
			}
			chain = append(chain, r.ev...)
			// Each further day from a home line adds evidence.
			cl = a.claim(ref, r.entity, "ip_subscriber", r.conf*0.6, chain...)
			cl.days[day] = true
		}
	}
}

// linesByAddress files the subscriber records by the address they give.
func (a *analysis) linesByAddress() map[string][]int {
	line := map[string][]int{}
	for i := range a.in.Case.Subscribers {
		if addr := normalize.Address(a.in.Case.Subscribers[i].Address); len(addr) > 0 {
			k := strings.Join(addr, " ")
			line[k] = append(line[k], i)
		}
	}
	return line
}

// sameLineBuyer: a provider's records of one address under names that
// agree are one subscriber's line over the years, each lease written anew
// (a phone on one, an email on another). When a lease matched to entity e
// by name and address has such a sibling that a phone or email ties to a
// candidate buyer who is probably the same person as e (names agree,
// nothing against it), the provider itself has tied that address to the
// buyer: the lease is his. It returns that buyer, if exactly one, and the
// sibling record as evidence.
func (a *analysis) sameLineBuyer(si int, e string, line map[string][]int) (string, []filo.Evidence) {
	c := a.in.Case
	sub := &c.Subscribers[si]
	name := normalize.ParseName(sub.SubscriberName)
	found := ""
	var ev []filo.Evidence
	for _, sj := range line[strings.Join(normalize.Address(sub.Address), " ")] {
		if sj == si {
			continue
		}
		sib := &c.Subscribers[sj]
		b, _ := a.subscriberByIdentifier(sib)
		if b == "" || b == e || b == found || !a.buyer[b] || !normalize.NamesAgree(name, normalize.ParseName(sib.SubscriberName)) || !a.samePersonLikely(e, b) {
			continue
		}
		if found != "" {
			return "", nil // two buyers claim the line: leave it as it was
		}
		found = b
		ev = []filo.Evidence{{Kind: filo.EvidenceSubscriber, RecordID: sib.IP, File: sib.Prov.File, Line: sib.Prov.Line,
			Note: "the same provider's lease at this address, held by " + sib.SubscriberName + ", carries a phone or email of the buyer's records"}}
	}
	return found, ev
}

// chats: a message quoting a transfer's control number ties the sending
// account to the transfer's sender, and gives the sender a signal.
func (a *analysis) chats() []filo.TraceSignal {
	c := a.in.Case
	byControl := map[string][]int{}
	for i := range c.Transactions {
		if cn := digits(c.Transactions[i].ControlNumber); len(cn) >= 8 {
			byControl[cn] = append(byControl[cn], i)
		}
	}
	inRing := map[string]bool{}
	for _, r := range a.in.Rings {
		for _, e := range r {
			inRing[e] = true
		}
	}
	byAmount := map[amountKey][]int{}
	if len(inRing) > 0 {
		for i := range c.Transactions {
			t := &c.Transactions[i]
			if inRing[a.in.EntityOf[t.ReceiverPartyID]] {
				k := amountKey{t.Currency, int64(math.Round(t.Amount * 100))}
				byAmount[k] = append(byAmount[k], i)
			}
		}
	}
	var sigs []filo.TraceSignal
	for _, m := range c.Messages {
		for _, sel := range Extract(m.Text) {
			if sel.Kind == SelAmount {
				a.chatAmount(&m, sel, byAmount)
				continue
			}
			if sel.Kind != SelControlNumber {
				continue
			}
			for _, ti := range byControl[sel.Value] {
				t := &c.Transactions[ti]
				sender := a.in.EntityOf[t.SenderPartyID]
				if sender == "" {
					continue
				}
				mev := filo.Evidence{Kind: filo.EvidenceMessage, RecordID: m.MessageID, File: m.Prov.File, Line: m.Prov.Line,
					Note: fmt.Sprintf("quotes %q at bytes %d-%d", sel.Text, sel.Start, sel.End)}
				tev := filo.Evidence{Kind: filo.EvidenceTransaction, RecordID: t.ID, File: t.Prov.File, Line: t.Prov.Line, Note: "control number " + t.ControlNumber}
				a.claim(filo.PlatformRef(m.Platform, m.SenderAccountID), sender, "chat_control_number", 0.8, mev, tev)
				// Quoting a transfer is ordinary between partners; it is a
				// signal only when the transfer went to a suspected ring.
				if !inRing[a.in.EntityOf[t.ReceiverPartyID]] {
					continue
				}
				sigs = append(sigs, filo.TraceSignal{EntityID: sender, Code: "CHAT_CONTROL_NUMBER", Strength: 1,
					Counterparty: a.in.EntityOf[t.ReceiverPartyID],
					Detail:       fmt.Sprintf("a chat on %s quotes the control number of transfer %s", m.Platform, t.ID), Evidence: []filo.Evidence{mev, tev}})
			}
		}
	}
	return sigs
}

// samePersonLikely says whether two entities are probably one person that
// entity resolution kept apart for want of a shared identifier. Evidence
// pointing at both is then not a rivalry between two people.
func (a *analysis) samePersonLikely(e1, e2 string) bool {
	return normalize.SamePersonLikely(a.factsOf(e1), a.factsOf(e2))
}

func (a *analysis) factsOf(e string) []normalize.Facts {
	if fs, ok := a.facts[e]; ok {
		return fs
	}
	var fs []normalize.Facts
	for _, i := range a.members[e] {
		p := &a.in.Case.Parties[i]
		fs = append(fs, normalize.Facts{Name: a.names[i], BirthDate: p.BirthDate, IDNumber: p.IDNumber, Country: p.Country})
	}
	a.facts[e] = fs
	return fs
}

// amountKey is a transfer's amount as written: currency and cents.
type amountKey struct {
	currency string
	cents    int64
}

// amountWindow is how long before a chat message a transfer it reports
// may have been sent.
const amountWindow = 3 * time.Hour

// chatAmount: a message reporting an amount ("sent 20 EUR") shortly after
// exactly one person sent that amount to a suspected ring ties the sending
// account to that person. An amount is a weak selector, so it counts only
// when one sender fits, and less than a control number.
func (a *analysis) chatAmount(m *filo.Message, sel Selector, byAmount map[amountKey][]int) {
	v, err := strconv.ParseFloat(sel.Value, 64)
	if err != nil || sel.Currency == "" || v <= 0 {
		return
	}
	c := a.in.Case
	sender, tx := "", -1
	for _, ti := range byAmount[amountKey{sel.Currency, int64(math.Round(v * 100))}] {
		t := &c.Transactions[ti]
		if t.Time.After(m.Time) || m.Time.Sub(t.Time) > amountWindow {
			continue
		}
		e := a.in.EntityOf[t.SenderPartyID]
		if e == "" {
			continue
		}
		if sender != "" && sender != e {
			return // two people sent it: no one
		}
		sender, tx = e, ti
	}
	if sender == "" {
		return
	}
	t := &c.Transactions[tx]
	a.claim(filo.PlatformRef(m.Platform, m.SenderAccountID), sender, "chat_amount", 0.5,
		filo.Evidence{Kind: filo.EvidenceMessage, RecordID: m.MessageID, File: m.Prov.File, Line: m.Prov.Line,
			Note: fmt.Sprintf("reports %q at bytes %d-%d, %s after the transfer", sel.Text, sel.Start, sel.End, m.Time.Sub(t.Time).Round(time.Minute))},
		filo.Evidence{Kind: filo.EvidenceTransaction, RecordID: t.ID, File: t.Prov.File, Line: t.Prov.Line, Note: "the only transfer of that amount to a suspected ring then"})
}

// attributions keeps, per account, the entity the evidence favours, when
// it is confident enough and clearly ahead of any other. Claims on
// entities that are probably the same person add up instead of competing,
// and go to the one that is a candidate buyer when exactly one is.
func (a *analysis) attributions() ([]filo.Attribution, map[string][]string) {
	same := map[string][]string{}
	refs := make([]string, 0, len(a.claims))
	for r := range a.claims {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	var out []filo.Attribution
	for _, ref := range refs {
		ents := make([]string, 0, len(a.claims[ref]))
		for e := range a.claims[ref] {
			ents = append(ents, e)
		}
		sort.Strings(ents)
		best := ""
		for _, e := range ents {
			if best == "" || a.claims[ref][e].conf > a.claims[ref][best].conf {
				best = e
			}
		}
		bc := a.claims[ref][best]
		group, conf, second := []string{best}, bc.conf, 0.0
		method, chain := bc.method, bc.chain
		for _, e := range ents {
			if e == best {
				continue
			}
			c := a.claims[ref][e]
			if a.samePersonLikely(best, e) {
				group = append(group, e)
				conf = 1 - (1-conf)*(1-c.conf)
				if !strings.Contains(method, c.method) {
					method += "+" + c.method
				}
				if len(chain) < 12 {
					chain = append(chain[:len(chain):len(chain)], c.chain...)
				}
				continue
			}
			second = math.Max(second, c.conf)
		}
		conf *= 1 - second // a rival claim takes confidence away
		if conf < a.opt.MinConfidence {
			continue
		}
		target := best
		if len(group) > 1 {
			var buyers []string
			for _, e := range group {
				if a.buyer[e] {
					buyers = append(buyers, e)
				}
			}
			if len(buyers) == 1 {
				target = buyers[0]
			}
		}
		for _, e := range group {
			if e != target {
				same[ref] = append(same[ref], e)
			}
		}
		out = append(out, filo.Attribution{PlatformAccount: ref, EntityID: target, Confidence: math.Round(conf*1000) / 1000, Method: method, Chain: chain})
	}
	return out, same
}

// Retarget moves each attribution that is on none of buyers to the one
// of them, if exactly one, that its evidence also pointed at and that is
// probably the same person: what Analyze does with the candidate buyers
// it was given, done again for buyers found only after it (a person whose
// lead the traces themselves raised above the threshold). It returns how
// many attributions moved.
func Retarget(out *Output, buyers []string) int {
	isBuyer := make(map[string]bool, len(buyers))
	for _, b := range buyers {
		isBuyer[b] = true
	}
	n := 0
	for i := range out.Attributions {
		at := &out.Attributions[i]
		if isBuyer[at.EntityID] {
			continue
		}
		target := ""
		for _, e := range out.SamePerson[at.PlatformAccount] {
			if isBuyer[e] {
				if target != "" {
					target = ""
					break
				}
				target = e
			}
		}
		if target == "" {
			continue
		}
		// The entity left behind stays in the group, so that the move is
		// explained and could be made again.
		rest := []string{at.EntityID}
		for _, e := range out.SamePerson[at.PlatformAccount] {
			if e != target {
				rest = append(rest, e)
			}
		}
		out.SamePerson[at.PlatformAccount] = rest
		at.EntityID = target
		n++
	}
	return n
}

// correlate asks, for each person paying a suspected ring, whether video
// calls from the person's accounts line up with the payments more often
// than when the payment timeline is shifted by random days: a permutation
// test, so that heavy platform users and partners calling every day are
// not tied to payments by coincidence.
func (a *analysis) correlate(atts []filo.Attribution) []filo.TraceSignal {
	c := a.in.Case
	ringOf := map[string]int{}
	for i, r := range a.in.Rings {
		for _, e := range r {
			ringOf[e] = i
		}
	}
	if len(ringOf) == 0 {
		return nil
	}
	accountsOf := map[string][]string{}
	ownerOf := map[string]string{}
	for _, at := range atts {
		accountsOf[at.EntityID] = append(accountsOf[at.EntityID], at.PlatformAccount)
		ownerOf[at.PlatformAccount] = at.EntityID
	}
	calls := map[string][]int64{} // account → call start times
	callEv := map[string][]filo.Session{}
	for i := range c.Sessions {
		s := &c.Sessions[i]
		if s.Kind != filo.SessionVideoCall {
			continue
		}
		ref := filo.PlatformRef(s.Platform, s.AccountID)
		if _, ok := ownerOf[ref]; !ok {
			continue
		}
		peer := filo.PlatformRef(s.Platform, s.PeerAccountID)
		// With accounts known for the ring, only calls to them count.
		if owner, ok := ownerOf[peer]; ok {
			if _, ringSide := ringOf[owner]; !ringSide {
				continue
			}
		}
		calls[ref] = append(calls[ref], s.Start.Unix())
		if len(callEv[ref]) < 5 {
			callEv[ref] = append(callEv[ref], *s)
		}
	}
	pays := map[string][]int64{}
	payEv := map[string][]filo.Evidence{}
	for i := range c.Transactions {
		t := &c.Transactions[i]
		if _, ok := ringOf[a.in.EntityOf[t.ReceiverPartyID]]; !ok {
			continue
		}
		s := a.in.EntityOf[t.SenderPartyID]
		pays[s] = append(pays[s], t.Time.Unix())
		if len(payEv[s]) < 5 {
			payEv[s] = append(payEv[s], filo.Evidence{Kind: filo.EvidenceTransaction, RecordID: t.ID, File: t.Prov.File, Line: t.Prov.Line})
		}
	}
	senders := slices.Sorted(maps.Keys(pays))
	win := int64(a.opt.CallWindow.Seconds())
	r := rand.New(rand.NewPCG(a.opt.Seed, 0xca11))
	var out []filo.TraceSignal
	for _, s := range senders {
		var ts []int64
		var evs []filo.Evidence
		for _, acc := range accountsOf[s] {
			ts = append(ts, calls[acc]...)
			for _, ss := range callEv[acc] {
				evs = append(evs, filo.Evidence{Kind: filo.EvidenceSession, RecordID: ss.SessionID, File: ss.Prov.File, Line: ss.Prov.Line, Note: "video call"})
			}
		}
		if len(ts) == 0 {
			continue
		}
		sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
		obs, p := chance(pays[s], ts, win, a.opt.Shifts, r)
		if obs == 0 || p > a.opt.MaxP {
			continue
		}
		out = append(out, filo.TraceSignal{EntityID: s, Code: "CALL_NEAR_PAYMENT", Strength: math.Min(1, float64(obs)/2),
			Detail:   fmt.Sprintf("%d of %d payments to a suspected ring had a video call within %s (p = %.3f against %d shifted timelines)", obs, len(pays[s]), a.opt.CallWindow, p, a.opt.Shifts),
			Evidence: append(payEv[s], evs...)})
	}
	return out
}

// lined counts payments with a call within win seconds, payments shifted.
func lined(pays, calls []int64, win, shift int64) int {
	n := 0
	for _, p := range pays {
		p += shift
		i := sort.Search(len(calls), func(i int) bool { return calls[i] >= p-win })
		if i < len(calls) && calls[i] <= p+win {
			n++
		}
	}
	return n
}
