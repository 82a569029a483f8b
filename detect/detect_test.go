package detect_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/detect"
	"github.com/filoproject/filo/policy"
)

// world is a hand-made case: people by id, payments between them.
type world struct {
	c       filo.Case
	related []filo.Link
	sigs    []filo.TraceSignal
	n       int
}

var rome = time.FixedZone("CET", 3600)

func (w *world) person(id, name, country string) *world {
	w.c.Parties = append(w.c.Parties, filo.Party{ID: id, Kind: "person", FullName: name, Country: country, Prov: filo.Provenance{File: "parties.csv", Line: len(w.c.Parties) + 2}})
	return w
}

func (w *world) org(id, name, country, category string) *world {
	w.c.Parties = append(w.c.Parties, filo.Party{ID: id, Kind: "organization", FullName: name, Country: country, MerchantCategory: category})
	return w
}

func (w *world) phone(id, phone string) *world {
	for i := range w.c.Parties {
		if w.c.Parties[i].ID == id {
			w.c.Parties[i].Phone = phone
		}
	}
	return w
}

// trace gives entity e a trace signal, as the online traces would.
func (w *world) trace(e, code string) *world {
	w.sigs = append(w.sigs, filo.TraceSignal{EntityID: e, Code: code, Strength: 1, Detail: "vm:a1"})
	return w
}

func (w *world) country(id string) string {
	for _, p := range w.c.Parties {
		if p.ID == id {
			return p.Country
		}
	}
	return ""
}

// pay adds a payment at day d (from 2025-01-01) and hour h in Rome's time.
func (w *world) pay(from, to string, usd float64, d int, h int, channel, ref string) *world {
	w.n++
	at := time.Date(2025, 1, 1, h, 0, 0, 0, rome).AddDate(0, 0, d)
	w.c.Transactions.Append(filo.Transaction{ID: fmt.Sprintf("T%d", w.n), Time: at, Amount: usd, AmountText: fmt.Sprint(usd),
		Currency: "USD", AmountUSD: usd, SenderPartyID: from, ReceiverPartyID: to, SenderCountry: w.country(from), ReceiverCountry: w.country(to),
		Channel: channel, Reference: ref, Prov: filo.Provenance{File: "transactions.csv", Line: w.n + 1}})
	return w
}

func (w *world) series(from, to string, n int, usd float64, every, hour int, channel, ref string) *world {
	for i := 0; i < n; i++ {
		w.pay(from, to, usd, i*every, hour, channel, ref)
	}
	return w
}

func (w *world) relate(a, b, basis string) *world {
	w.related = append(w.related, filo.Link{A: filo.RecordRef{Type: "party", ID: a}, B: filo.RecordRef{Type: "party", ID: b}, Kind: filo.LinkRelated, Basis: basis})
	return w
}

// run scores the world with every party its own entity and a threshold
// low enough that every scored sender becomes a lead.
func (w *world) run(t *testing.T) *detect.Output {
	t.Helper()
	in, pol := w.input(t)
	out, err := detect.Run(context.Background(), in, pol)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// input is the world as detection's input, every party its own entity,
// with the default policy at a threshold that makes every scored sender a
// lead.
func (w *world) input(t *testing.T) (detect.Input, *policy.Policy) {
	t.Helper()
	pol, err := policy.Default()
	if err != nil {
		t.Fatal(err)
	}
	pol.BuyerThreshold = 1e-9
	ent := map[string]string{}
	for _, p := range w.c.Parties {
		ent[p.ID] = "E-" + p.ID
	}
	return detect.Input{Case: &w.c, EntityOf: ent, Related: w.related, Signals: w.sigs}, pol
}

func reasons(out *detect.Output, leadID string) map[string]filo.Reason {
	m := map[string]filo.Reason{}
	for _, l := range out.Leads {
		if l.ID == leadID {
			for _, r := range l.Reasons {
				m[r.Code] = r
			}
		}
	}
	return m
}

// base: a sender in Italy and people in the Philippines.
func base() *world {
	w := &world{}
	return w.person("S", "Marco Bianchi", "IT").person("R1", "Maria Santos", "PH").person("R2", "Jose Reyes", "PH").
		person("R3", "Ana Cruz", "PH").person("F1", "Luisa Bianchi", "PH").person("F2", "Carla Bianchi", "PH").person("D", "Dario Verdi", "IT")
}

// Every indicator on a fixture where it must fire and one where it must not.
func TestIndicators(t *testing.T) {
	tests := []struct {
		code    string
		fires   *world
		doesNot *world
	}{
		{"SMALL_CORRIDOR", base().series("S", "R1", 3, 20, 9, 22, "mto", ""), base().series("S", "D", 3, 20, 9, 22, "mto", "").pay("S", "R1", 900, 50, 12, "bank", "")},
		{"FREQUENT_SMALL", base().series("S", "R1", 4, 20, 7, 22, "mto", ""), base().series("S", "R1", 4, 20, 60, 22, "mto", "")},
		{"ESCALATION", func() *world {
			w := base()
			d := 0
			for i := 0; i < 8; i++ {
				w.pay("S", "R1", float64(10+10*i), d, 22, "mto", "")
				d += 30 - 3*i
			}
			return w
		}(), base().series("S", "R1", 8, 25, 14, 22, "mto", "")},
		{"FAN_OUT_UNRELATED", base().pay("S", "R1", 20, 0, 22, "mto", "").pay("S", "R2", 20, 5, 22, "mto", "").pay("S", "R3", 20, 9, 22, "mto", ""),
			base().pay("S", "F1", 20, 0, 22, "mto", "").pay("S", "F2", 20, 5, 22, "mto", "")},
		{"NIGHT_PAYMENTS", base().series("S", "R1", 3, 20, 9, 23, "mto", ""), base().series("S", "R1", 3, 20, 9, 11, "mto", "")},
		{"INNOCENT_REFERENCE", base().series("S", "R1", 2, 20, 9, 22, "mto", "school fees"), base().series("S", "R1", 2, 20, 9, 22, "mto", "invoice 77")},
		{"REMITTANCE_CHANNEL", base().series("S", "R1", 3, 20, 9, 22, "mto", ""), base().series("S", "R1", 3, 20, 9, 22, "bank", "")},
		{"RELATED_PURCHASES", base().org("M", "StarCams", "CY", "adult_platform").series("S", "R1", 2, 20, 9, 22, "mto", "").pay("S", "M", 15, 3, 23, "card", ""),
			base().org("M", "FreshMart", "IT", "grocery").series("S", "R1", 2, 20, 9, 22, "mto", "").pay("S", "M", 15, 3, 23, "card", "")},
		{"REGULAR_RHYTHM", base().series("S", "R1", 12, 200, 30, 12, "mto", ""), func() *world {
			w := base()
			for i, d := range []int{0, 3, 40, 44, 100, 170, 171, 250} {
				w.pay("S", "R1", float64(20+37*i), d, 12, "mto", "")
			}
			return w
		}()},
		{"FAMILY_RECIPIENTS", base().series("S", "F1", 3, 100, 30, 12, "mto", ""), base().series("S", "R1", 3, 100, 30, 12, "mto", "")},
		{"LARGE_AMOUNTS", base().series("S", "R1", 3, 600, 30, 12, "mto", ""), base().series("S", "R1", 3, 20, 30, 12, "mto", "")},
		{"EXCLUSIVE_RECIPIENTS", base().series("S", "R1", 3, 50, 30, 12, "mto", "").pay("D", "F1", 40, 5, 12, "mto", ""),
			base().series("S", "R1", 3, 50, 30, 12, "mto", "").pay("D", "R1", 40, 5, 12, "mto", "")},
		{"WATCHLIST_LINK", func() *world {
			w := base().phone("R1", "+63 917 555 0101").series("S", "R1", 2, 20, 9, 22, "mto", "")
			w.c.Watchlist = []filo.WatchEntry{{Kind: "phone", Value: "0917 555 0101", Country: "PH"}}
			return w
		}(), func() *world {
			w := base().phone("R1", "+63 917 555 0101").series("S", "R1", 2, 20, 9, 22, "mto", "")
			w.c.Watchlist = []filo.WatchEntry{{Kind: "phone", Value: "0917 555 9999", Country: "PH"}}
			return w
		}()},
		{"PAYS_SUSPECTED_RING", ring(base()).pay("S", "R1", 20, 3, 22, "mto", ""), ring(base()).pay("S", "R3", 20, 3, 22, "mto", "")},
		// S pays no listed identity: only the network brings him near one.
		// In the counterpart the listed phone is R2's, whom E pays, so that
		// proximity still fires for someone, not for S.
		{"NETWORK_PROXIMITY", nearListed("0917 555 0101"), nearListed("0917 555 0202")},
		// Rings seed it too. Paying a ring identity is close; paying R3,
		// whom one of the ring's senders pays too, is three hops away: in
		// the network still, not near enough.
		{"NETWORK_PROXIMITY", ring(base()).pay("S", "R1", 20, 3, 22, "mto", ""),
			ring(base()).pay("S", "R3", 20, 3, 22, "mto", "").pay("X0", "R3", 25, 4, 23, "mto", "")},
		// A signal on the person S pays is not S's: signals do not spread
		// over payments (proximity does that, from rings and the watchlist).
		{"ATTRIBUTED_ACCOUNT", base().series("S", "R1", 2, 20, 9, 22, "mto", "").trace("E-S", "ATTRIBUTED_ACCOUNT"),
			base().series("S", "R1", 2, 20, 9, 22, "mto", "").trace("E-R1", "ATTRIBUTED_ACCOUNT")},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if _, ok := reasons(tt.fires.run(t), "B-E-S")[tt.code]; !ok {
				t.Errorf("%s did not fire where it must; reasons: %v", tt.code, keys(reasons(tt.fires.run(t), "B-E-S")))
			}
			if r, ok := reasons(tt.doesNot.run(t), "B-E-S")[tt.code]; ok {
				t.Errorf("%s fired where it must not: %s", tt.code, r.Detail)
			}
		})
	}
}

// nearListed: S pays R3, whom D pays too; D pays R1, E pays R2. R1 and R2
// have phones; the watchlist lists the phone given.
func nearListed(phone string) *world {
	w := base().person("E", "Elena Neri", "IT").phone("R1", "+63 917 555 0101").phone("R2", "+63 917 555 0202").
		series("S", "R3", 2, 20, 9, 22, "mto", "").pay("D", "R3", 20, 4, 22, "mto", "").
		pay("D", "R1", 20, 6, 22, "mto", "").pay("E", "R2", 20, 6, 22, "mto", "")
	w.c.Watchlist = []filo.WatchEntry{{Kind: "phone", Value: phone, Country: "PH"}}
	return w
}

func keys(m map[string]filo.Reason) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// ring gives R1 and R2 (related by a phone) small payments from sixteen
// unrelated senders in several countries.
func ring(w *world) *world { return ringPaid(w, 10, 23, "mto") }

// ringPaid is ring with its senders paying every so many days, at this
// hour, by this channel.
func ringPaid(w *world, every, hour int, channel string) *world {
	w.relate("R1", "R2", "phone")
	for i := 0; i < 16; i++ {
		id := fmt.Sprintf("X%d", i)
		w.person(id, fmt.Sprintf("Sender%c Person%c", 'A'+i, 'a'+i), []string{"US", "GB", "AU", "DE"}[i%4])
		w.series(id, []string{"R1", "R2"}[i%2], 2+i%3, 25, every, hour, channel, "")
	}
	return w
}

// listedRing is ring with phones on R1, a ring identity, and on R3, whom
// one of the ring's senders pays too; the watchlist lists the phone given.
func listedRing(phone string) *world {
	w := ring(base()).phone("R1", "+63 917 555 0101").phone("R3", "+63 917 555 0303").pay("X0", "R3", 25, 3, 23, "mto", "")
	w.c.Watchlist = []filo.WatchEntry{{Kind: "phone", Value: phone, Country: "PH"}}
	return w
}

// Every ring indicator on a fixture where the ring lead must carry it and
// one where it must not.
func TestRingIndicators(t *testing.T) {
	tests := []struct {
		code    string
		fires   *world
		doesNot *world
		// leadWithout: the ring is still a lead in doesNot, only without
		// the indicator; otherwise it must not be a lead at all.
		leadWithout bool
	}{
		// A listed identity the ring's senders pay is not the ring's.
		{"RING_WATCHLIST", listedRing("0917 555 0101"), listedRing("0917 555 0303"), true},
		// RING_BUYER_SENDERS is graded, twice the senders' mean score as
		// buyers, and a buyer score is never 0: every ring with senders
		// carries it. Where they pay at noon, by bank, a month apart, it
		// adds too little to lift the same fan-in over the ring threshold,
		// which buyer-like senders (at night, by money-transfer operator,
		// ten days apart) do.
		{"RING_BUYER_SENDERS", ring(base()), ringPaid(base(), 30, 12, "bank"), false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			out := tt.fires.run(t)
			if got := leadID(ringLeadOf(out)); got != "R-E-R1" {
				t.Fatalf("ring lead %s, want R-E-R1", got)
			}
			if _, ok := reasons(out, "R-E-R1")[tt.code]; !ok {
				t.Errorf("%s did not fire where it must; reasons: %v", tt.code, keys(reasons(out, "R-E-R1")))
			}
			out = tt.doesNot.run(t)
			want := "none"
			if tt.leadWithout {
				want = "R-E-R1"
			}
			if got := leadID(ringLeadOf(out)); got != want {
				t.Fatalf("where %s must not fire: ring lead %s, want %s", tt.code, got, want)
			}
			if r, ok := reasons(out, "R-E-R1")[tt.code]; ok {
				t.Errorf("%s fired where it must not: %s", tt.code, r.Detail)
			}
		})
	}
}

func TestARingIsOneLeadCoveringItsIdentities(t *testing.T) {
	out := ring(base()).run(t)
	var found *filo.Lead
	for i := range out.Leads {
		if out.Leads[i].Role == filo.RoleFacilitator {
			found = &out.Leads[i]
		}
	}
	if found == nil {
		t.Fatal("no ring lead")
	}
	if fmt.Sprint(found.EntityIDs) != "[E-R1 E-R2]" || found.ID != "R-E-R1" {
		t.Errorf("ring lead %s covers %v, want R-E-R1 over [E-R1 E-R2]", found.ID, found.EntityIDs)
	}
	codes := map[string]bool{}
	for _, r := range found.Reasons {
		codes[r.Code] = true
		if r.Code == "RING_FAN_IN" && (len(r.Evidence) == 0 || r.Evidence[0].File != "transactions.csv") {
			t.Errorf("fan-in without evidence rows: %+v", r)
		}
	}
	for _, c := range []string{"RING_FAN_IN", "RING_IDENTITIES", "RING_SMALL_AMOUNTS"} {
		if !codes[c] {
			t.Errorf("ring lead lacks %s", c)
		}
	}
}

func TestACharityWithManyFixedDonorsIsNoRing(t *testing.T) {
	w := base().org("CH", "Bright Futures Children's Foundation", "PH", "charity")
	for i := 0; i < 300; i++ {
		id := fmt.Sprintf("DN%d", i)
		w.person(id, fmt.Sprintf("Donor%d Giver%d", i, i), []string{"US", "GB", "AU", "DE", "IT"}[i%5])
		w.series(id, "CH", 12, 35, 30, 8, "bank", "child sponsorship")
	}
	out := w.run(t)
	for _, l := range out.Leads {
		if l.Role == filo.RoleFacilitator {
			t.Fatalf("a charity became ring lead %s", l.ID)
		}
	}
}

func TestARomanceVictimIsNoBuyer(t *testing.T) {
	w := base()
	usd, d := 250.0, 0
	for i := 0; i < 10; i++ {
		w.pay("S", "R1", usd, d, 14, "mto", "customs fee")
		usd *= 1.3
		d += 20 - i
	}
	for _, l := range w.run(t).Leads {
		if l.ID == "B-E-S" {
			t.Fatalf("a romance-scam pattern became buyer lead with %v", keys(reasons(w.run(t), "B-E-S")))
		}
	}
}

func TestLeadsAreRankedAndExplainedByRows(t *testing.T) {
	out := ring(base()).pay("S", "R1", 20, 3, 22, "mto", "").run(t)
	last := 2.0
	for _, l := range out.Leads {
		if l.Role != filo.RoleBuyer {
			continue
		}
		if l.Score > last {
			t.Errorf("lead %s (%.3f) ranked after a weaker one", l.ID, l.Score)
		}
		last = l.Score
		for _, r := range l.Reasons {
			if r.Contribution > 0 && r.Code == "SMALL_CORRIDOR" && len(r.Evidence) == 0 {
				t.Errorf("lead %s reason %s has no evidence", l.ID, r.Code)
			}
		}
	}
}

func (w *world) set(id string, f func(p *filo.Party)) *world {
	for i := range w.c.Parties {
		if w.c.Parties[i].ID == id {
			f(&w.c.Parties[i])
		}
	}
	return w
}

func leadID(l *filo.Lead) string {
	if l == nil {
		return "none"
	}
	return l.ID
}

func ringLeadOf(out *detect.Output) *filo.Lead {
	for i := range out.Leads {
		if out.Leads[i].Role == filo.RoleFacilitator {
			return &out.Leads[i]
		}
	}
	return nil
}

// wantRing checks that the world's ring lead covers the entities want.
func wantRing(t *testing.T, w *world, want string) {
	t.Helper()
	l := ringLeadOf(w.run(t))
	if l == nil {
		t.Fatal("no ring lead")
	}
	if got := fmt.Sprint(l.EntityIDs); got != want {
		t.Errorf("ring covers %s, want %s", got, want)
	}
}

func TestARingGathersIdentitiesRelatedToAnyOfItsMembers(t *testing.T) {
	// M shares an address with the candidate R2, R3b a phone with M only;
	// one unrelated sender pays each. F1 shares R3b's phone but only her
	// family pays her.
	w := ring(base()).person("M", "Lorna Diaz", "PH").person("R3b", "Rey Tan", "PH").
		relate("R2", "M", "address").relate("M", "R3b", "phone").relate("R3b", "F1", "phone").
		person("Y", "Yuri Adams", "US").pay("Y", "M", 30, 4, 23, "mto", "").
		person("Y2", "Yves Brandt", "DE").pay("Y2", "R3b", 30, 6, 23, "mto", "").
		pay("S", "F1", 100, 1, 12, "mto", "")
	// An identity two hops away joins; one no stranger pays does not.
	wantRing(t, w, "[E-M E-R1 E-R2 E-R3b]")
}

func TestRingGroupsSharingSendersJoinAsGroups(t *testing.T) {
	// R4 is paid by three of the ring's senders, each of whom pays one of
	// R1 and R2 too: no pair of identities shares enough senders, the ring
	// as a whole does. R5 has senders of her own and one of the ring's.
	w := ring(base()).person("R4", "Liza Ramos", "PH").person("R5", "Nora Lim", "PH")
	for i, s := range []string{"X0", "X1", "X2"} {
		w.pay(s, "R4", 25, 40+i, 23, "mto", "")
	}
	for i := 0; i < 3; i++ {
		id := fmt.Sprintf("Z%d", i)
		w.person(id, fmt.Sprintf("Zed%c Other%c", 'a'+i, 'a'+i), "GB").pay(id, "R5", 20, 50+i, 23, "mto", "")
	}
	w.pay("X3", "R5", 25, 70, 23, "mto", "")
	wantRing(t, w, "[E-R1 E-R2 E-R4]")
}

func TestOnePersonKeptInTwoEntitiesIsOneLead(t *testing.T) {
	// S2 is S written with an initial and no identifier in common; both pay
	// R3. S3 has the same name but another birth date; S4 the same name but
	// pays nobody S pays; S5 has a family name close to S's, not close
	// enough, though the mean over both tokens would be 0.93.
	w := base().person("S2", "M. Bianchi", "IT").person("S3", "Marco Bianchi", "IT").person("S4", "Marco Bianchi", "IT").
		person("S5", "Marco Biagi", "IT").series("S5", "R3", 2, 20, 13, 23, "mto", "").
		set("S", func(p *filo.Party) { p.BirthDate = "1970-01-02" }).set("S3", func(p *filo.Party) { p.BirthDate = "1981-05-06" }).
		series("S", "R3", 4, 20, 9, 23, "mto", "").series("S2", "R3", 2, 20, 11, 23, "mto", "").
		series("S3", "R3", 3, 20, 9, 23, "mto", "").series("S4", "R2", 3, 20, 9, 23, "mto", "")
	out := w.run(t)
	byEntity := map[string]filo.Lead{}
	for _, l := range out.Leads {
		for _, e := range l.EntityIDs {
			byEntity[e] = l
		}
	}
	s := byEntity["E-S"]
	if fmt.Sprint(s.EntityIDs) != "[E-S E-S2]" || fmt.Sprint(s.Labels) != "["+detect.LabelPossibleSamePerson+"]" || s.ID != "B-E-S" {
		t.Errorf("lead %s covers %v with labels %v, want B-E-S over [E-S E-S2] labelled %s", s.ID, s.EntityIDs, s.Labels, detect.LabelPossibleSamePerson)
	}
	for _, e := range []string{"E-S3", "E-S4", "E-S5"} {
		if l := byEntity[e]; len(l.EntityIDs) != 1 {
			t.Errorf("%s was folded into %s %v", e, l.ID, l.EntityIDs)
		}
	}
}

// ringUnderThreshold is a ring of R1 and R2 paid once by each of fourteen
// senders and by S, just under the ring threshold on payments alone; the
// trace signal, an account attributed to R1, lifts it above.
func ringUnderThreshold(t *testing.T) (detect.Input, *policy.Policy, []filo.TraceSignal) {
	t.Helper()
	w := base().relate("R1", "R2", "phone")
	for i := 0; i < 14; i++ {
		id := fmt.Sprintf("X%d", i)
		w.person(id, fmt.Sprintf("Sender%c Person%c", 'A'+i, 'a'+i), []string{"US", "GB", "AU", "DE"}[i%4])
		w.pay(id, []string{"R1", "R2"}[i%2], 25, i, 23, "mto", "")
	}
	w.pay("S", "R1", 20, 30, 22, "mto", "")
	in, pol := w.input(t)
	return in, pol, []filo.TraceSignal{{EntityID: "E-R1", Code: "ATTRIBUTED_ACCOUNT", Strength: 1, Detail: "vm:r1"}}
}

func TestPayersOfARingThatTracesMakeALeadGetTheRingIndicator(t *testing.T) {
	for _, withTrace := range []bool{false, true} {
		in, pol, trace := ringUnderThreshold(t)
		if withTrace {
			in.Signals = trace
		}
		out, err := detect.Run(context.Background(), in, pol)
		if err != nil {
			t.Fatal(err)
		}
		ring := ringLeadOf(out)
		_, fired := reasons(out, "B-E-S")["PAYS_SUSPECTED_RING"]
		if (ring != nil) != withTrace || fired != withTrace {
			t.Errorf("with trace %v: ring lead %v, PAYS_SUSPECTED_RING %v; want both %v", withTrace, ring != nil, fired, withTrace)
		}
	}
}

// TestAPreparedCaseScoresAsRunDoes: a scan prepares the case once and
// scores it before and after the traces; each score must be what a fresh
// Run gives, whatever was scored before it on the same prepared world.
func TestAPreparedCaseScoresAsRunDoes(t *testing.T) {
	ctx := context.Background()
	in, pol, trace := ringUnderThreshold(t)
	p, err := detect.Prepare(ctx, in, pol)
	if err != nil {
		t.Fatal(err)
	}
	for i, sigs := range [][]filo.TraceSignal{nil, trace, nil, trace} {
		got, err := p.Score(ctx, sigs, nil)
		if err != nil {
			t.Fatal(err)
		}
		fresh, _, _ := ringUnderThreshold(t)
		fresh.Signals = sigs
		want, err := detect.Run(ctx, fresh, pol)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("score #%d (trace %v) differs from a fresh run:\n got %+v\nwant %+v", i+1, sigs != nil, got.Leads, want.Leads)
		}
		if (ringLeadOf(got) != nil) != (sigs != nil) {
			t.Errorf("score #%d: ring lead %v with trace %v", i+1, ringLeadOf(got) != nil, sigs != nil)
		}
	}
}

// crowd is a world of many senders with payments of every kind, enough
// for scoring to split its work: a ring, families, night payments,
// escalations and steady support.
func crowd() *world {
	w := ring(base()).org("M", "StarCams", "CY", "adult_platform")
	w.phone("R3", "+63 917 555 0101")
	w.c.Watchlist = []filo.WatchEntry{{Kind: "phone", Value: "0917 555 0101", Country: "PH"}, {Kind: "name", Value: "Ana Cruz", Country: "PH"}}
	recips := []string{"R1", "R2", "R3", "F1", "F2"}
	for i := 0; i < 40; i++ {
		id := fmt.Sprintf("Q%d", i)
		w.person(id, word(i+1000)+" "+word(i%6+2000), "PH")
		recips = append(recips, id)
	}
	for i := 0; i < 700; i++ {
		id := fmt.Sprintf("C%d", i)
		w.person(id, word(i)+" "+word(i%11+2000), []string{"US", "GB", "IT", "DE"}[i%4])
		for j := 0; j < 1+i%7; j++ {
			to := recips[(i+j*(i%3))%len(recips)]
			w.pay(id, to, float64(15+(i*j)%90+j*(i%5)*20), j*(5+i%40), (i+j)%24, []string{"mto", "bank", "ewallet"}[(i+j)%3], []string{"", "school fees", "gift"}[j%3])
		}
		if i%9 == 0 {
			w.pay(id, "M", 15, i%30, 23, "card", "")
		}
	}
	return w
}

// word is a made-up name, one of many that look nothing alike.
func word(i int) string {
	const letters = "bcdfghklmnprstvz"
	x := uint32(i)*2654435761 + 12345
	b := []byte{'A', 0, 'o', 0, 'e', 0}
	for k := 1; k < len(b); k += 2 {
		b[k] = letters[x%16]
		x /= 16
	}
	b[0] = "BDFGKLMNPRST"[x%12]
	return string(b)
}

func TestSendersScoreAsTheirLeadsExplainThem(t *testing.T) {
	in, pol := crowd().input(t)
	p, err := detect.Prepare(context.Background(), in, pol)
	if err != nil {
		t.Fatal(err)
	}
	trace := []filo.TraceSignal{{EntityID: "E-R1", Code: "ATTRIBUTED_ACCOUNT", Strength: 1}, {EntityID: "E-C3", Code: "ATTRIBUTED_ACCOUNT", Strength: 0.5}}
	for _, sigs := range [][]filo.TraceSignal{nil, trace} {
		scored, explained := detect.SenderTotals(p, sigs)
		if len(scored) < 700 {
			t.Fatalf("%d senders scored, want at least 700", len(scored))
		}
		for id, x := range scored {
			if y := explained[id]; x != y {
				t.Errorf("with %d signals, %s scores %v but its lead explains %v", len(sigs), id, x, y)
			}
		}
	}
}

func TestScoresDoNotDependOnTheCores(t *testing.T) {
	ctx := context.Background()
	score := func(procs int) *detect.Output {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		in, pol := crowd().input(t)
		p, err := detect.Prepare(ctx, in, pol)
		if err != nil {
			t.Fatal(err)
		}
		out, err := p.Score(ctx, []filo.TraceSignal{{EntityID: "E-R1", Code: "ATTRIBUTED_ACCOUNT", Strength: 1}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := score(1)
	if len(want.Leads) < 100 {
		t.Fatalf("%d leads, want a crowd", len(want.Leads))
	}
	for _, procs := range []int{2, 4} {
		got := score(procs)
		if !reflect.DeepEqual(got.Leads, want.Leads) || !reflect.DeepEqual(got.Rings, want.Rings) {
			t.Errorf("on %d cores the leads differ from one core's", procs)
		}
		// Network proximity sums its seeds in map order (package network),
		// which moves scores in their last bits from one run to the next.
		for id, x := range want.BuyerScores {
			if y, ok := got.BuyerScores[id]; !ok || math.Abs(x-y) > 1e-12 {
				t.Errorf("on %d cores %s scores %v, on one %v", procs, id, y, x)
			}
		}
	}
}
