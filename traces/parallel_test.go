package traces

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/filoproject/filo"
)

func TestChunks(t *testing.T) {
	tests := []struct {
		n, workers int
		want       [][2]int
	}{
		{0, 2, [][2]int{}},
		{1, 2, [][2]int{{0, 1}}},
		{5, 1, [][2]int{{0, 5}}},
		{5, 2, [][2]int{{0, 2}, {2, 5}}},
		{6, 3, [][2]int{{0, 2}, {2, 4}, {4, 6}}},
		{3, 8, [][2]int{{0, 1}, {1, 2}, {2, 3}}},
		{4, 0, [][2]int{{0, 4}}},
	}
	for _, tt := range tests {
		if got := chunks(tt.n, tt.workers); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("chunks(%d, %d) = %v, want %v", tt.n, tt.workers, got, tt.want)
		}
	}
}

func TestInChunksAndForEachVisitEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 65, 1000} {
		for _, workers := range []int{1, 2, 3, 8} {
			seen := make([]atomic.Int32, n)
			forEach(n, workers, func(i int) { seen[i].Add(1) })
			inChunks(n, workers, func(_, lo, hi int) {
				for i := lo; i < hi; i++ {
					seen[i].Add(1)
				}
			})
			for i := range seen {
				if v := seen[i].Load(); v != 2 {
					t.Fatalf("n=%d workers=%d: index %d visited %d times, want once by each", n, workers, i, v)
				}
			}
		}
	}
}

func TestAccountsNumberEachReferenceOnce(t *testing.T) {
	as := newAccounts(0)
	tests := []struct {
		platform, id string
		want         int32
	}{
		{"vm", "a1", 0},
		{"vm", "a2", 1},
		{"vm", "a1", 0},
		{"chat", "a1", 2},
		// Both join to "x:y:z": one reference, one account.
		{"x:y", "z", 3},
		{"x", "y:z", 3},
		{"vm", "", 4},
	}
	for _, tt := range tests {
		if got := as.of(tt.platform, tt.id); got != tt.want {
			t.Errorf("of(%q, %q) = %d, want %d", tt.platform, tt.id, got, tt.want)
		}
		if ref := filo.PlatformRef(tt.platform, tt.id); as.refs[tt.want] != ref {
			t.Errorf("account %d is %q, want %q", tt.want, as.refs[tt.want], ref)
		}
	}
	xs := []int32{3, 0, 2, 4, 1}
	as.byRefOrder(xs)
	if want := []int32{2, 4, 0, 1, 3}; !reflect.DeepEqual(xs, want) { // chat:a1 vm: vm:a1 vm:a2 x:y:z
		t.Errorf("byRefOrder = %v, want %v", xs, want)
	}
}

func TestClaimAddDayOnce(t *testing.T) {
	var c claim
	tests := []struct {
		day  int32
		want bool
	}{{5, true}, {3, true}, {5, false}, {9, true}, {3, false}, {-2, true}, {4, true}, {9, false}}
	for _, tt := range tests {
		if got := c.addDay(tt.day); got != tt.want {
			t.Errorf("addDay(%d) = %v, want %v", tt.day, got, tt.want)
		}
	}
	if want := []int32{-2, 3, 4, 5, 9}; !reflect.DeepEqual(c.days, want) {
		t.Errorf("days %v, want %v", c.days, want)
	}
}

func TestClaimAddCombinesMethodsAndConfidence(t *testing.T) {
	var c claim
	ev := filo.Evidence{RecordID: "r"}
	c.add("ip_subscriber", 0.5, ev, ev)
	c.add("ip_subscriber", 0.5, ev)
	c.add("chat_amount", 0.2, ev)
	if c.method != "ip_subscriber+chat_amount" || c.conf != 1-0.5*0.5*0.8 || len(c.chain) != 4 {
		t.Errorf("claim %+v, want method ip_subscriber+chat_amount, confidence 0.8, 4 pieces of evidence", c)
	}
	for range 20 {
		c.add("x", 0, ev, ev, ev)
	}
	if len(c.chain) < maxChain || len(c.chain) >= maxChain+3 {
		t.Errorf("chain of %d, want it to stop growing once it reached %d", len(c.chain), maxChain)
	}
}

func TestAppendDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"482 193 7710", "4821937710"},
		{"MTCN-482-193", "482193"},
		{"٤٨٢ 12", "12"}, // Arabic-Indic digits are no ASCII digits, nor are their bytes
		{"mã 9", "9"},
	}
	for _, tt := range tests {
		if got := string(appendDigits([]byte("x"), tt.in)); got != "x"+tt.want {
			t.Errorf("appendDigits(%q) = %q, want %q", tt.in, got, "x"+tt.want)
		}
		if got := digits(tt.in); got != tt.want {
			t.Errorf("digits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// world is a random case big enough that every concurrent pass splits it
// (parties over more than one block), with buyers, rings, leases shared
// by namesakes, calls and chats quoting transfers.
func world(seed uint64) Input {
	r := rand.New(rand.NewPCG(seed, 7))
	first := []string{"Maria", "John", "Ana", "Luca", "Marco", "Linh", "Hung", "Ashley", "Brian", "Rosa", "Jose", "Mei"}
	last := []string{"Santos", "Cruz", "Davis", "Harris", "Nguyen", "Bianchi", "Verdi", "Reyes", "Tran", "Smith", "Garcia", "Lopez", "Kim", "Lee"}
	streets := []string{"Maple St", "Elm St", "Via Roma", "George St", "Rizal Ave"}
	c := &filo.Case{}
	entityOf := map[string]string{}
	const parties = partyBlock + 3000
	for i := range parties {
		p := filo.Party{ID: fmt.Sprintf("P%d", i), FullName: first[r.IntN(len(first))] + " " + last[r.IntN(len(last))], Country: "US",
			Address: fmt.Sprintf("%d %s, Phoenix", r.IntN(400), streets[r.IntN(len(streets))])}
		if r.IntN(3) == 0 {
			p.Phone = fmt.Sprintf("+1 555 %03d %04d", r.IntN(1000), r.IntN(10000))
		}
		if r.IntN(4) == 0 {
			p.Email = fmt.Sprintf("p%d@example.org", r.IntN(parties))
		}
		if r.IntN(5) == 0 {
			p.BirthDate = fmt.Sprintf("19%02d-01-01", 50+r.IntN(50))
		}
		c.Parties = append(c.Parties, p)
		if r.IntN(20) != 0 {
			entityOf[p.ID] = fmt.Sprintf("E%d", i/2)
		}
	}
	var buyers []string
	for i := 0; i < parties/2; i += 7 {
		buyers = append(buyers, fmt.Sprintf("E%d", i))
	}
	rings := [][]string{{"E1", "E3", "E5"}, {"E9", "E11"}, {"E3"}}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const ips = 400
	for ip := range ips {
		at := start.AddDate(0, -r.IntN(6), 0)
		for range 1 + r.IntN(4) {
			p := &c.Parties[r.IntN(parties)]
			end := at.AddDate(0, 1+r.IntN(8), 0)
			sub := filo.Subscriber{IP: fmt.Sprintf("100.64.%d.%d", ip/256, ip%256), Start: at, End: end, SubscriberName: p.FullName, Address: p.Address}
			switch r.IntN(4) {
			case 0:
				sub.Phone = p.Phone
			case 1:
				sub.Email = p.Email
			case 2:
				sub.Start = time.Time{}
			}
			c.Subscribers = append(c.Subscribers, sub)
			at = end
		}
	}
	const accounts = 600
	platforms := []string{"vm", "chat"}
	acct := func(i int) string { return fmt.Sprintf("a%d", i) }
	for i := range accounts {
		pa := filo.PlatformAccount{Platform: platforms[i%2], AccountID: acct(i)}
		if r.IntN(10) == 0 {
			pa.Email = c.Parties[r.IntN(parties)].Email
		}
		c.PlatformAccounts = append(c.PlatformAccounts, pa)
	}
	for i := range 30000 {
		a := r.IntN(accounts)
		s := filo.Session{Platform: platforms[a%2], SessionID: fmt.Sprintf("S%d", i), AccountID: acct(a), Kind: filo.SessionLogin,
			Start: start.Add(time.Duration(r.IntN(2*365*24)) * time.Hour)}
		if r.IntN(10) != 0 {
			s.IP = fmt.Sprintf("100.64.%d.%d", (a%ips)/256, (a%ips)%256)
		}
		if r.IntN(3) != 0 {
			s.Kind = filo.SessionVideoCall
			if r.IntN(8) != 0 {
				s.PeerAccountID = acct(r.IntN(30) * 2)
			}
		}
		c.Sessions.Append(s)
	}
	ring := []string{"P2", "P3", "P6", "P10", "P18", "P19", "P22"}
	for i := range 20000 {
		t := filo.Transaction{ID: fmt.Sprintf("T%d", i), Time: start.Add(time.Duration(r.IntN(2*365*24*60)) * time.Minute),
			SenderPartyID: c.Parties[r.IntN(parties)].ID, ReceiverPartyID: c.Parties[r.IntN(parties)].ID,
			Amount: float64(10 * (1 + r.IntN(10))), Currency: "EUR", ControlNumber: fmt.Sprintf("%03d-%03d-%04d", 100+r.IntN(900), r.IntN(1000), r.IntN(10000))}
		if r.IntN(4) == 0 {
			t.ReceiverPartyID = ring[r.IntN(len(ring))]
		}
		c.Transactions.Append(t)
	}
	for i := range 800 {
		t := c.Transactions.At(r.IntN(c.Transactions.Len()))
		m := filo.Message{Platform: "chat", MessageID: fmt.Sprintf("M%d", i), SenderAccountID: acct(1 + 2*r.IntN(accounts/2)),
			Time: t.Time.Add(time.Duration(r.IntN(120)) * time.Minute)}
		if r.IntN(2) == 0 {
			m.Text = "sent, code " + t.ControlNumber
		} else {
			m.Text = fmt.Sprintf("done, %.0f EUR", t.Amount)
		}
		c.Messages = append(c.Messages, m)
	}
	return Input{Case: c, EntityOf: entityOf, Rings: rings, Buyers: buyers}
}

// TestAnalyzeIsTheSameOverAnyNumberOfWorkers: the concurrent passes may
// only share out work, never change a result or its order.
func TestAnalyzeIsTheSameOverAnyNumberOfWorkers(t *testing.T) {
	in := world(1)
	analyse := func(workers int) *Output {
		a := &analysis{in: &in, opt: Options{Seed: 3}, workers: workers}
		a.opt.defaults()
		out, err := a.run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	serial := analyse(1)
	methods := map[string]bool{}
	for _, at := range serial.Attributions {
		methods[at.Method] = true
	}
	if len(serial.Attributions) < 50 || len(serial.Signals) < 50 || len(methods) < 3 {
		t.Fatalf("the world gives %d attributions by %d methods and %d signals: too few to tell anything", len(serial.Attributions), len(methods), len(serial.Signals))
	}
	for _, workers := range []int{2, 3, 8} {
		if got := analyse(workers); !reflect.DeepEqual(got, serial) {
			t.Errorf("%d workers: the output differs from one worker's", workers)
		}
	}
}

func TestTransfersFindRingPaymentsAndQuotedControlNumbers(t *testing.T) {
	c := &filo.Case{Transactions: filo.TransactionsOf(
		filo.Transaction{ID: "T0", SenderPartyID: "A", ReceiverPartyID: "R1", ControlNumber: "482-193-7710"},
		filo.Transaction{ID: "T1", SenderPartyID: "A", ReceiverPartyID: "B", ControlNumber: "482 193 7710"},
		filo.Transaction{ID: "T2", SenderPartyID: "B", ReceiverPartyID: "R2", ControlNumber: "1234"},
		filo.Transaction{ID: "T3", SenderPartyID: "X", ReceiverPartyID: "NOBODY", ControlNumber: "5550001111"},
		filo.Transaction{ID: "T4", SenderPartyID: "B", ReceiverPartyID: "R1"},
	)}
	entityOf := map[string]string{"A": "EA", "B": "EB", "R1": "ER1", "R2": "ER2"}
	tests := []struct {
		name        string
		rings       [][]string
		quoted      map[string]bool
		wantPays    []ringPayment
		wantControl map[string][]int
	}{
		{"no rings, nothing quoted", nil, nil, nil, map[string][]int{}},
		{"the last ring listing an entity is its ring", [][]string{{"ER1", "ER2"}, {"ER2"}}, map[string]bool{"4821937710": true},
			[]ringPayment{{0, 0, "EA"}, {2, 1, "EB"}, {4, 0, "EB"}}, map[string][]int{"4821937710": {0, 1}}},
		{"a ring listing no entity takes in the records without one", [][]string{{"", "ER2"}}, map[string]bool{"5550001111": true, "1234": true},
			[]ringPayment{{2, 0, "EB"}, {3, 0, ""}}, map[string][]int{"5550001111": {3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, workers := range []int{1, 2, 4} {
				a := &analysis{in: &Input{Case: c, EntityOf: entityOf}, workers: workers, ringOf: map[string]int{}}
				for i, r := range tt.rings {
					for _, e := range r {
						a.ringOf[e] = i
					}
				}
				pays, byControl := a.transfers(tt.quoted)
				if !reflect.DeepEqual(pays, tt.wantPays) || !reflect.DeepEqual(byControl, tt.wantControl) {
					t.Errorf("%d workers: transfers = %v, %v; want %v, %v", workers, pays, byControl, tt.wantPays, tt.wantControl)
				}
			}
		})
	}
}
