// Package traces ties online traces to people and payments: platform
// accounts to persons through identifiers, session IPs and provider
// subscriber records, chats quoting a transfer's control number, and video
// calls that line up with payments beyond what chance gives. Every
// attribution carries its chain of evidence and a confidence.
package traces

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/internal/steps"
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
	// Fields are Case.Parties' names, emails and addresses as parsed
	// already; nil: they are parsed here.
	Fields *normalize.PartyFields
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
	Log           *slog.Logger // told at debug level how long each step took; nil: nothing
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

// claim is the evidence that an account belongs to an entity.
type claim struct {
	entity string
	conf   float64
	method string
	chain  []filo.Evidence
	days   []int32 // distinct days of sessions behind an IP claim, sorted
}

// maxChain is how long a claim's chain grows: past it, further evidence
// adds to the confidence only.
const maxChain = 12

// add combines a piece of evidence found by method into the claim.
func (c *claim) add(method string, conf float64, chain ...filo.Evidence) {
	c.addMethod(method, conf)
	if len(c.chain) < maxChain {
		c.chain = append(c.chain, chain...)
	}
}

func (c *claim) addMethod(method string, conf float64) {
	if !strings.Contains(c.method, method) {
		if c.method != "" {
			c.method += "+"
		}
		c.method += method
	}
	// Independent pieces of evidence combine: 1 - Π(1 - c).
	c.conf = 1 - (1-c.conf)*(1-conf)
}

// addDay records a day of sessions behind the claim; false if it was
// already there.
func (c *claim) addDay(day int32) bool {
	i, found := slices.BinarySearch(c.days, day)
	if found {
		return false
	}
	c.days = slices.Insert(c.days, i, day)
	return true
}

type analysis struct {
	in      *Input
	opt     Options
	workers int
	byPhone map[string][]string // E.164 → entity ids
	byEmail map[string][]string
	byNSN   map[string][]string // national significant number → entity ids
	byToken map[string][]int32  // name token → party indices
	byAddr  map[string][]int32  // normalised address → party indices
	names   []normalize.Name
	members map[string][]int32 // entity → party indices
	// buyerTokens files the candidate buyers by name token; built when first needed.
	buyerTokens map[string][]string
	buyer       map[string]bool // candidate buyer entities
	ringOf      map[string]int  // entity → the (last) suspected ring it is in
	pays        []ringPayment   // the payments to suspected rings, in transaction order

	accts    *accounts
	claims   [][]*claim  // account → its claims, one per entity, in the order first made
	sessAcct []int32     // session → account
	calls    []videoCall // the video calls, in session order

	factsMu sync.Mutex                   // facts is filled in by concurrent subscriber resolution
	facts   map[string][]normalize.Facts // entity → its records as normalize.SamePersonLikely reads them
}

// Analyze attributes platform accounts and finds trace signals.
func Analyze(ctx context.Context, in Input, opt Options) (*Output, error) {
	opt.defaults()
	a := &analysis{in: &in, opt: opt, workers: runtime.GOMAXPROCS(0)}
	return a.run(ctx)
}

// run is Analyze over a.workers goroutines, so that a test can compare
// one worker's output with several's.
func (a *analysis) run(ctx context.Context) (*Output, error) {
	in := a.in
	a.byPhone, a.byEmail, a.byNSN = map[string][]string{}, map[string][]string{}, map[string][]string{}
	a.byToken, a.byAddr = map[string][]int32{}, map[string][]int32{}
	a.members, a.buyer, a.facts = map[string][]int32{}, map[string]bool{}, map[string][]normalize.Facts{}
	a.accts = newAccounts(len(in.Case.PlatformAccounts))
	for _, e := range in.Buyers {
		a.buyer[e] = true
	}
	a.ringOf = map[string]int{}
	for i, r := range in.Rings {
		for _, e := range r {
			a.ringOf[e] = i
		}
	}
	step := steps.Timer(a.opt.Log, "traces")
	a.indexParties()
	a.identifiers()
	step("parties indexed")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.sessionAccounts()
	step("session accounts")
	a.sessionsToSubscribers()
	step("sessions matched to subscribers")
	out := &Output{}
	out.Signals = append(out.Signals, a.chats()...)
	step("chats")
	out.Attributions, out.SamePerson = a.attributions()
	a.callsOfNamesake(out.Attributions)
	step("attributions")
	out.Signals = append(out.Signals, a.correlate(out.Attributions)...)
	step("correlated")
	for _, at := range out.Attributions {
		out.Signals = append(out.Signals, filo.TraceSignal{EntityID: at.EntityID, Code: "ATTRIBUTED_ACCOUNT", Strength: at.Confidence,
			Detail: fmt.Sprintf("platform account %s attributed (%s, confidence %.2f)", at.PlatformAccount, at.Method, at.Confidence), Evidence: at.Chain})
	}
	slices.SortStableFunc(out.Signals, func(x, y filo.TraceSignal) int {
		return cmp.Or(strings.Compare(x.EntityID, y.EntityID), strings.Compare(x.Code, y.Code))
	})
	return out, nil
}

// partyKeys is what indexParties files a party under.
type partyKeys struct {
	entity, phone, nsn, email, addr string
	hasAddr                         bool // addr is the address's tokens joined; there may be one empty token
}

// partyBlock is how many parties are normalised at a time before being
// filed: enough to keep the workers busy, few enough that their keys are
// not held for all parties at once.
const partyBlock = 1 << 14

// indexParties files every party with an entity by phone, national
// number, email, address and name token, and parses its name. The
// normalising, nearly all the work, runs over the workers a block at a
// time; the filing is done in party order, as the lists' order is read.
func (a *analysis) indexParties() {
	in, ps := a.in, a.in.Case.Parties
	a.names = make([]normalize.Name, len(ps))
	keys := make([]partyKeys, min(partyBlock, len(ps)))
	for lo := 0; lo < len(ps); lo += partyBlock {
		hi := min(lo+partyBlock, len(ps))
		inChunks(hi-lo, a.workers, func(_, clo, chi int) {
			for k := clo; k < chi; k++ {
				i, p := lo+k, &ps[lo+k]
				ks := partyKeys{entity: in.EntityOf[p.ID]}
				if ks.entity != "" {
					if ks.phone = in.Phones.Known(p.PhoneE164, p.Phone, p.Country); ks.phone != "" {
						ks.nsn = in.Phones.KnownNational(p.PhoneNSN, ks.phone)
					}
					ks.email, a.names[i] = in.Fields.Email(i, p.Email), in.Fields.Name(i, p.FullName)
					if addr := in.Fields.Address(i, p.Address); len(addr) > 0 {
						ks.addr, ks.hasAddr = strings.Join(addr, " "), true
					}
				}
				keys[k] = ks
			}
		})
		// Each map is filed in party order by one goroutine: the maps are
		// independent, so two workers share them without a lock.
		fileIdentifiers := func() {
			for k := range hi - lo {
				ks := &keys[k]
				if ks.entity == "" {
					continue
				}
				if ks.phone != "" {
					a.byPhone[ks.phone] = addOnce(a.byPhone[ks.phone], ks.entity)
					if ks.nsn != "" {
						a.byNSN[ks.nsn] = addOnce(a.byNSN[ks.nsn], ks.entity)
					}
				}
				if ks.email != "" {
					a.byEmail[ks.email] = addOnce(a.byEmail[ks.email], ks.entity)
				}
			}
		}
		var wg sync.WaitGroup
		if a.workers > 1 {
			wg.Go(fileIdentifiers)
		} else {
			fileIdentifiers()
		}
		for k := range hi - lo {
			i, ks := lo+k, &keys[k]
			if ks.entity == "" {
				continue
			}
			a.members[ks.entity] = append(a.members[ks.entity], int32(i))
			if ks.hasAddr {
				a.byAddr[ks.addr] = append(a.byAddr[ks.addr], int32(i))
			}
			for _, t := range a.names[i].Tokens {
				if len(t) >= 3 {
					a.byToken[t] = append(a.byToken[t], int32(i))
				}
			}
		}
		wg.Wait()
	}
}

func addOnce(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// claimOf returns the claim that account belongs to entity, made empty
// when there is none yet.
func (a *analysis) claimOf(account int32, entity string) *claim {
	if int(account) >= len(a.claims) {
		a.claims = slices.Grow(a.claims, int(account)+1-len(a.claims))[:account+1]
	}
	for _, c := range a.claims[account] {
		if c.entity == entity {
			return c
		}
	}
	c := &claim{entity: entity}
	a.claims[account] = append(a.claims[account], c)
	return c
}

func (a *analysis) claim(account int32, entity, method string, conf float64, chain ...filo.Evidence) {
	a.claimOf(account, entity).add(method, conf, chain...)
}

// identifiers: an email or phone on the account that a single person's
// records carry.
func (a *analysis) identifiers() {
	for _, pa := range a.in.Case.PlatformAccounts {
		acc := a.accts.of(pa.Platform, pa.AccountID)
		ev := filo.Evidence{Kind: filo.EvidencePlatformAccount, RecordID: a.accts.refs[acc], File: pa.Prov.File, Line: pa.Prov.Line}
		if em := normalize.Email(pa.Email); em != "" && len(a.byEmail[em]) == 1 {
			a.claim(acc, a.byEmail[em][0], "identifier:email", 0.95, ev)
		}
		if ph := a.in.Phones.Known(pa.PhoneE164, pa.Phone, ""); ph != "" && len(a.byPhone[ph]) == 1 {
			a.claim(acc, a.byPhone[ph][0], "identifier:phone", 0.9, ev)
		}
	}
}

// subscriberByIdentifier resolves a subscriber record by a phone or email
// that a single person's records carry; "" when none does.
func (a *analysis) subscriberByIdentifier(s *filo.Subscriber) (string, float64) {
	if ph := a.in.Phones.Known(s.PhoneE164, s.Phone, ""); ph != "" && len(a.byPhone[ph]) == 1 {
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
		for _, t := range n.Tokens {
			if l := a.byToken[t]; len(l) <= 500 {
				cands = append(cands, l...)
			}
		}
		slices.Sort(cands)
		cands = slices.Compact(cands)
	}
	found, best := "", 0.0
	var ev []filo.Evidence
	for _, pi := range cands {
		p := &a.in.Case.Parties[pi]
		if normalize.TokenSimilarity(n, a.names[pi]) < 0.9 {
			continue
		}
		pa := a.in.Fields.Address(int(pi), p.Address)
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

// lease is a session that fell within a subscriber record's lease of
// its IP.
type lease struct{ session, sub int32 }

// resolved is whose a subscriber record is, as subscriberEntity and
// sameLineBuyer found.
type resolved struct {
	entity string
	conf   float64
	ev     []filo.Evidence
}

// sessionsToSubscribers: a session's IP at its time → the subscriber whose
// lease covered it → the person.
func (a *analysis) sessionsToSubscribers() {
	leases := a.leases()
	c := a.in.Case
	// Only the records some session fell within are resolved, each once,
	// concurrently: resolution reads the analysis and writes nothing but
	// its own slot.
	var todo []int32
	need := make([]bool, len(c.Subscribers))
	for _, l := range leases {
		if !need[l.sub] {
			need[l.sub] = true
			todo = append(todo, l.sub)
		}
	}
	res := make([]resolved, len(c.Subscribers))
	line := sync.OnceValue(a.linesByAddress) // built when first needed
	forEach(len(todo), a.workers, func(k int) {
		si := int(todo[k])
		r := &res[si]
		r.entity, r.conf, r.ev = a.subscriberEntity(&c.Subscribers[si])
		// Only a lease matched by name and address (the match carries the
		// party record; an identifier match carries none) can be told by
		// its siblings whose it is.
		if r.entity != "" && r.ev != nil && !a.buyer[r.entity] {
			if b, ev := a.sameLineBuyer(si, r.entity, line()); b != "" {
				r.entity, r.ev = b, append(r.ev, ev...)
			}
		}
	})
	// The claims are made account by account, each account's in session
	// order: a claim's chain and the order its confidence is combined in
	// are its sessions', and no claim reads another account's. An
	// account's leases, one after the other, find its claims in cache
	// (in session order each was a jump to another account's); each
	// worker makes the claims of its own run of accounts, and a.claims is
	// grown for all of them first.
	n := len(a.accts.refs)
	if len(a.claims) < n {
		a.claims = slices.Grow(a.claims, n-len(a.claims))[:n]
	}
	first := make([]int32, n+1) // the leases of account k are order[first[k]:first[k+1]]
	for _, l := range leases {
		if res[l.sub].entity != "" {
			first[a.sessAcct[l.session]+1]++
		}
	}
	for k := range n {
		first[k+1] += first[k]
	}
	order := make([]int32, first[n])
	next := slices.Clone(first[:n])
	for i, l := range leases {
		if res[l.sub].entity != "" {
			acct := a.sessAcct[l.session]
			order[next[acct]] = int32(i)
			next[acct]++
		}
	}
	inChunks(n, a.workers, func(_, lo, hi int) {
		var cl *claim
		clAcct := int32(-1)
		for _, li := range order[first[lo]:first[hi]] {
			l := leases[li]
			r, acct := &res[l.sub], a.sessAcct[l.session]
			// Most of an account's leases are of one line, one person's.
			if acct != clAcct || cl.entity != r.entity {
				cl, clAcct = a.claimOf(acct, r.entity), acct
			}
			s, sub := c.Sessions.At(int(l.session)), &c.Subscribers[l.sub]
			// Each further day from a home line adds evidence.
			if !cl.addDay(int32(s.Start.Unix() / 86400)) {
				continue
			}
			cl.addMethod("ip_subscriber", r.conf*0.6)
			if len(cl.chain) < maxChain {
				cl.chain = slices.Grow(cl.chain, 2+len(r.ev)) // one growth for both appends
				cl.chain = append(cl.chain,
					filo.Evidence{Kind: filo.EvidenceSession, RecordID: s.SessionID, File: s.Prov.File, Line: s.Prov.Line, Note: "from " + s.IP},
					filo.Evidence{Kind: filo.EvidenceSubscriber, RecordID: sub.IP, File: sub.Prov.File, Line: sub.Prov.Line, Note: "lease held by " + sub.SubscriberName})
				cl.chain = append(cl.chain, r.ev...)
			}
		}
	})
}

// leases finds, in session order, the subscriber records whose lease of
// a session's IP covered its start. The sessions are split between the
// workers in contiguous runs, joined again in order.
func (a *analysis) leases() []lease {
	c := a.in.Case
	// Millions of sessions look their address up: IPv4 addresses by
	// their number, a lookup that reads no string but the session's.
	byIPv4, byIP := make(map[uint32][]int32, len(c.Subscribers)), map[string][]int32{}
	for i := range c.Subscribers {
		if ip := c.Subscribers[i].IP; ip != "" {
			if v4, ok := ipv4(ip); ok {
				byIPv4[v4] = append(byIPv4[v4], int32(i))
			} else {
				byIP[ip] = append(byIP[ip], int32(i))
			}
		}
	}
	parts := make([][]lease, a.workers)
	inChunks(c.Sessions.Len(), a.workers, func(k, lo, hi int) {
		var ls []lease
		for i := lo; i < hi; i++ {
			s := c.Sessions.At(i)
			if s.IP == "" {
				continue
			}
			var subs []int32
			if v4, ok := ipv4(s.IP); ok {
				subs = byIPv4[v4]
			} else {
				subs = byIP[s.IP]
			}
			for _, si := range subs {
				sub := &c.Subscribers[si]
				if !sub.Start.IsZero() && s.Start.Before(sub.Start) || !sub.End.IsZero() && !s.Start.Before(sub.End) {
					continue
				}
				ls = append(ls, lease{int32(i), si})
			}
		}
		parts[k] = ls
	})
	return slices.Concat(parts...)
}

// ipv4 reads s as an IPv4 address written as one writes it ("192.0.2.1":
// four numbers to 255 without leading zeros), the one form in which two
// addresses are the same string exactly when they are the same number.
// Any other text is not read (false).
func ipv4(s string) (uint32, bool) {
	var ip, n uint32
	dots, digits := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if digits > 0 && n == 0 {
				return 0, false // a leading zero
			}
			if n = n*10 + uint32(c-'0'); n > 255 {
				return 0, false
			}
			digits++
		case c == '.' && digits > 0 && dots < 3:
			ip, n, digits = ip<<8|n, 0, 0
			dots++
		default:
			return 0, false
		}
	}
	if dots != 3 || digits == 0 {
		return 0, false
	}
	return ip<<8 | n, true
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
	sels := make([][]Selector, len(c.Messages))
	forEach(len(c.Messages), a.workers, func(i int) { sels[i] = Extract(c.Messages[i].Text) })
	quoted := map[string]bool{}
	for _, ss := range sels {
		for _, sel := range ss {
			if sel.Kind == SelControlNumber {
				quoted[sel.Value] = true
			}
		}
	}
	var byControl map[string][]int
	a.pays, byControl = a.transfers(quoted)
	inRing := a.ringOf
	byAmount := map[amountKey][]int{}
	for _, p := range a.pays {
		t := c.Transactions.At(int(p.tx))
		k := amountKey{t.Currency, int64(math.Round(t.Amount * 100))}
		byAmount[k] = append(byAmount[k], int(p.tx))
	}
	var sigs []filo.TraceSignal
	for i, m := range c.Messages {
		for _, sel := range sels[i] {
			if sel.Kind == SelAmount {
				a.chatAmount(&m, sel, byAmount)
				continue
			}
			if sel.Kind != SelControlNumber {
				continue
			}
			for _, ti := range byControl[sel.Value] {
				t := c.Transactions.At(ti)
				sender := a.in.EntityOf[t.SenderPartyID]
				if sender == "" {
					continue
				}
				mev := filo.Evidence{Kind: filo.EvidenceMessage, RecordID: m.MessageID, File: m.Prov.File, Line: m.Prov.Line,
					Note: fmt.Sprintf("quotes %q at bytes %d-%d", sel.Text, sel.Start, sel.End)}
				tev := filo.Evidence{Kind: filo.EvidenceTransaction, RecordID: t.ID, File: t.Prov.File, Line: t.Prov.Line, Note: "control number " + t.ControlNumber}
				a.claim(a.accts.of(m.Platform, m.SenderAccountID), sender, "chat_control_number", 0.8, mev, tev)
				// Quoting a transfer is ordinary between partners; it is a
				// signal only when the transfer went to a suspected ring.
				if _, ok := inRing[a.in.EntityOf[t.ReceiverPartyID]]; !ok {
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

// ringPayment is a transfer to a member of a suspected ring.
type ringPayment struct {
	tx     int32
	ring   int32  // the receiver's ring, as ringOf gives it
	sender string // the sender's entity; "" if none
}

// transfers reads the transactions once, split between the workers in
// contiguous runs joined again in order: it returns the payments to
// suspected rings and, by control number, the transfers whose control
// number is quoted, both in transaction order.
func (a *analysis) transfers(quoted map[string]bool) ([]ringPayment, map[string][]int) {
	c := a.in.Case
	type part struct {
		pays   []ringPayment
		quoted []int
	}
	byRecord := a.ringsByRecord()
	// A ring listing "" (no entity) takes in every record without one.
	noEntity, ringOfNone := a.ringOf[""]
	// Each value of the payments' dictionary is looked up once, not once
	// per payment to it: its ring, -1 for none.
	dict := c.Transactions.Dict()
	ringOf := make([]int32, len(dict))
	inChunks(len(dict), a.workers, func(_, lo, hi int) {
		for k := lo; k < hi; k++ {
			rg, ok := byRecord[dict[k]]
			if !ok && ringOfNone {
				if _, known := a.in.EntityOf[dict[k]]; !known {
					rg, ok = noEntity, true
				}
			}
			ringOf[k] = -1
			if ok {
				ringOf[k] = int32(rg)
			}
		}
	})
	parts := make([]part, a.workers)
	inChunks(c.Transactions.Len(), a.workers, func(k, lo, hi int) {
		var p part
		var buf []byte
		for i := lo; i < hi; i++ {
			_, recv := c.Transactions.PartyCodes(i)
			if rg := ringOf[recv]; rg >= 0 {
				p.pays = append(p.pays, ringPayment{int32(i), rg, a.in.EntityOf[c.Transactions.At(i).SenderPartyID]})
			}
			if len(quoted) == 0 {
				continue
			}
			if t := c.Transactions.At(i); t.ControlNumber != "" {
				buf = appendDigits(buf[:0], t.ControlNumber)
				if len(buf) >= 8 && quoted[string(buf)] {
					p.quoted = append(p.quoted, i)
				}
			}
		}
		parts[k] = p
	})
	var pays []ringPayment
	byControl := map[string][]int{}
	for _, p := range parts {
		pays = append(pays, p.pays...)
		for _, i := range p.quoted {
			cn := digits(c.Transactions.At(i).ControlNumber)
			byControl[cn] = append(byControl[cn], i)
		}
	}
	return pays, byControl
}

// ringsByRecord gives each record whose entity is in a suspected ring
// that ring. The rings' records are few: looking a receiver up among them,
// rather than its entity among all records', keeps the lookups in cache.
func (a *analysis) ringsByRecord() map[string]int {
	m := map[string]int{}
	if len(a.ringOf) == 0 {
		return m
	}
	for id, e := range a.in.EntityOf {
		if rg, ok := a.ringOf[e]; ok {
			m[id] = rg
		}
	}
	return m
}

// samePersonLikely says whether two entities are probably one person that
// entity resolution kept apart for want of a shared identifier. Evidence
// pointing at both is then not a rivalry between two people.
func (a *analysis) samePersonLikely(e1, e2 string) bool {
	return normalize.SamePersonLikely(a.factsOf(e1), a.factsOf(e2))
}

func (a *analysis) factsOf(e string) []normalize.Facts {
	a.factsMu.Lock()
	defer a.factsMu.Unlock()
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
		t := c.Transactions.At(ti)
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
	t := c.Transactions.At(tx)
	a.claim(a.accts.of(m.Platform, m.SenderAccountID), sender, "chat_amount", 0.5,
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
	var accs []int32
	for acc, cls := range a.claims {
		if len(cls) > 0 {
			accs = append(accs, int32(acc))
		}
	}
	a.accts.byRefOrder(accs)
	var out []filo.Attribution
	for _, acc := range accs {
		ref := a.accts.refs[acc]
		cls := slices.Clone(a.claims[acc])
		slices.SortFunc(cls, func(x, y *claim) int { return cmp.Compare(x.entity, y.entity) })
		var bc *claim
		for _, c := range cls {
			if bc == nil || c.conf > bc.conf {
				bc = c
			}
		}
		best := bc.entity
		group, conf, second := []string{best}, bc.conf, 0.0
		method, chain := bc.method, bc.chain
		for _, c := range cls {
			if c == bc {
				continue
			}
			e := c.entity
			if a.samePersonLikely(best, e) {
				group = append(group, e)
				conf = 1 - (1-conf)*(1-c.conf)
				if !strings.Contains(method, c.method) {
					method += "+" + c.method
				}
				if len(chain) < maxChain {
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
	ringOf := a.ringOf
	if len(ringOf) == 0 {
		return nil
	}
	accountsOf := map[string][]int32{}
	ownerOf := a.owners(atts)
	for _, at := range atts {
		acc := a.accts.byRef[at.PlatformAccount]
		accountsOf[at.EntityID] = append(accountsOf[at.EntityID], acc)
	}
	calls := map[int32][]int64{}  // account → call start times
	callEv := map[int32][]int32{} // account → its first sessions
	for _, vc := range a.calls {
		if ownerOf[vc.acct] == "" {
			continue
		}
		// With accounts known for the ring, only calls to them count.
		if owner := ownerOf[vc.peer]; owner != "" {
			if _, ringSide := ringOf[owner]; !ringSide {
				continue
			}
		}
		calls[vc.acct] = append(calls[vc.acct], c.Sessions.At(int(vc.session)).Start.Unix())
		if len(callEv[vc.acct]) < 5 {
			callEv[vc.acct] = append(callEv[vc.acct], vc.session)
		}
	}
	pays := map[string][]int64{}
	payEv := map[string][]filo.Evidence{}
	for _, py := range a.pays {
		t := c.Transactions.At(int(py.tx))
		s := py.sender
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
			for _, si := range callEv[acc] {
				ss := c.Sessions.At(int(si))
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

// owners gives each account the entity it is attributed to; "" if none.
func (a *analysis) owners(atts []filo.Attribution) []string {
	owner := make([]string, len(a.accts.refs))
	for _, at := range atts {
		owner[a.accts.byRef[at.PlatformAccount]] = at.EntityID
	}
	return owner
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
