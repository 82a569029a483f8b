package traces

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/filoproject/filo"
)

func TestExtractControlNumbers(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"grouped with spaces", "sent 15 USD, code 482 193 7710", []string{"4821937710"}},
		{"grouped with dashes", "MTCN: 482-193-7710 ok", []string{"4821937710"}},
		{"whole", "here is the number 4821937710", []string{"4821937710"}},
		{"a phone number is not one", "call me at +1 555 123 4567", nil},
		{"a national phone with its trunk zero is not one", "my new number is 0917-123-4567", nil},
		{"an order number is not one", "order 4521 7781 09 arrives tomorrow", nil},
		{"a tracking number is not one", "tracking number 4521778109", nil},
		{"a time is not one", "meet at 21:30 on 2025-03-01", nil},
		{"Vietnamese text around it", "đã gửi 500.000 VND, mã 482 193 7710 nhé", []string{"4821937710"}},
		{"Thai text around it", "โอนแล้ว 482-193-7710 ค่ะ", []string{"4821937710"}},
		{"eleven digits are not ten", "ref 48219377101", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range Extract(tt.text) {
				if s.Kind == SelControlNumber {
					got = append(got, s.Value)
					if tt.text[s.Start:s.End] != s.Text {
						t.Errorf("offsets %d-%d do not point at %q", s.Start, s.End, s.Text)
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Extract(%q) control numbers = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestExtractOtherSelectors(t *testing.T) {
	tests := []struct {
		text, kind, want string
	}{
		{"sent 15 USD", SelAmount, "15 USD"},
		{"USD 15.00 today", SelAmount, "15.00 USD"},
		{"it was €20", SelAmount, "20 EUR"},
		{"1,500 PHP for rent", SelAmount, "1500 PHP"},
		{"write to Ana.Cruz@Example.org please", SelEmail, "ana.cruz@example.org"},
		{"call +63 917 555 0101", SelPhone, "+639175550101"},
		{"pay to GB82 WEST 1234 5698 7654 32", SelIBAN, "GB82WEST12345698765432"},
		{"pay to GB83 WEST 1234 5698 7654 32", SelIBAN, ""},
	}
	for _, tt := range tests {
		got := ""
		for _, s := range Extract(tt.text) {
			if s.Kind == tt.kind {
				got = s.Value
				if s.Currency != "" {
					got += " " + s.Currency
				}
			}
		}
		if got != tt.want {
			t.Errorf("Extract(%q) %s = %q, want %q", tt.text, tt.kind, got, tt.want)
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{"sent 15 USD, code 482 193 7710", "call +1 555 123 4567", "€20", "GB82 WEST 1234 5698 7654 32", "đã gửi"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, sel := range Extract(s) {
			if sel.Start < 0 || sel.End > len(s) || sel.Start > sel.End || s[sel.Start:sel.End] != sel.Text {
				t.Errorf("selector %+v does not point into %q", sel, s)
			}
			if sel.Kind == SelControlNumber && len(sel.Value) != 10 {
				t.Errorf("control number %q is not ten digits", sel.Value)
			}
		}
	})
}

// fixture: a buyer B (entity EB) paying ring identity R (entity ER), a
// partner supporter P calling his partner daily and paying monthly.
func fixture() *filo.Case {
	c := &filo.Case{}
	c.Parties = []filo.Party{
		{ID: "B", FullName: "Marco Bianchi", Country: "IT", Phone: "+39 347 111 2222", Address: "12 Via Roma, Milano"},
		{ID: "R", FullName: "Maria Santos", Country: "PH"},
		{ID: "P", FullName: "Luca Verdi", Country: "IT", Address: "3 Via Po, Torino"},
		{ID: "Q", FullName: "Ana Cruz", Country: "PH"},
	}
	c.PlatformAccounts = []filo.PlatformAccount{{Platform: "vm", AccountID: "b1"}, {Platform: "vm", AccountID: "r1", Phone: ""},
		{Platform: "vm", AccountID: "p1"}, {Platform: "vm", AccountID: "q1"}}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	c.Subscribers = []filo.Subscriber{
		{IP: "100.64.0.1", Start: start, End: start.AddDate(0, 6, 0), SubscriberName: "BIANCHI MARCO", Address: "12 Via Roma Milano"},
		{IP: "100.64.0.1", Start: start.AddDate(0, 6, 0), End: start.AddDate(1, 0, 0), SubscriberName: "Luca Verdi", Address: "3 Via Po Torino"},
	}
	n := 0
	for i := 0; i < 6; i++ {
		at := start.AddDate(0, 0, 3+i*9).Add(21 * time.Hour)
		n++
		c.Transactions.Append(filo.Transaction{ID: fmt.Sprintf("T%d", n), Time: at, SenderPartyID: "B", ReceiverPartyID: "R",
			AmountUSD: 20, ControlNumber: fmt.Sprintf("48219377%02d", i)})
		c.Sessions.Append(filo.Session{Platform: "vm", SessionID: fmt.Sprintf("S%d", n), AccountID: "b1", PeerAccountID: "r1",
			Kind: "video_call", Start: at.Add(30 * time.Minute), IP: "100.64.0.1"})
	}
	// The partner supporter: a call every day from July, a payment each month.
	for d := 0; d < 150; d++ {
		at := start.AddDate(0, 6, d).Add(20 * time.Hour)
		c.Sessions.Append(filo.Session{Platform: "vm", SessionID: fmt.Sprintf("D%d", d), AccountID: "p1", PeerAccountID: "q1",
			Kind: "video_call", Start: at, IP: "100.64.0.1"})
		if d%30 == 0 {
			n++
			c.Transactions.Append(filo.Transaction{ID: fmt.Sprintf("T%d", n), Time: at.Add(time.Hour), SenderPartyID: "P", ReceiverPartyID: "Q", AmountUSD: 150})
		}
	}
	c.Messages = []filo.Message{{Platform: "vm", MessageID: "M1", SenderAccountID: "b1", Time: start, Text: "sent, code 482-193-7701"}}
	return c
}

var entities = map[string]string{"B": "EB", "R": "ER", "P": "EP", "Q": "EQ"}

func run(t *testing.T, rings [][]string) *Output {
	t.Helper()
	out, err := Analyze(context.Background(), Input{Case: fixture(), EntityOf: entities, Rings: rings}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSessionsAttributeAccountsThroughTheLeaseHeldThen(t *testing.T) {
	out := run(t, nil)
	got := map[string]string{}
	for _, a := range out.Attributions {
		got[a.PlatformAccount] = a.EntityID
		if len(a.Chain) == 0 {
			t.Errorf("attribution of %s has no chain", a.PlatformAccount)
		}
	}
	// The same IP was Marco's until June and Luca's from July.
	if got["vm:b1"] != "EB" || got["vm:p1"] != "EP" {
		t.Errorf("attributions %v, want vm:b1 → EB and vm:p1 → EP", got)
	}
}

func TestAChatQuotingAControlNumberToARingIsASignal(t *testing.T) {
	has := func(out *Output, code string) bool {
		for _, s := range out.Signals {
			if s.EntityID == "EB" && s.Code == code {
				return true
			}
		}
		return false
	}
	if !has(run(t, [][]string{{"ER"}}), "CHAT_CONTROL_NUMBER") {
		t.Error("a chat quoting a transfer to a ring gave no signal")
	}
	if has(run(t, nil), "CHAT_CONTROL_NUMBER") {
		t.Error("a quoted transfer to no suspected ring gave a signal")
	}
}

func TestCallsNearPaymentsNeedMoreThanChance(t *testing.T) {
	out := run(t, [][]string{{"ER"}, {"EQ"}})
	for _, s := range out.Signals {
		if s.Code == "CALL_NEAR_PAYMENT" && s.EntityID == "EP" {
			t.Errorf("a daily caller who pays monthly was tied to the payments: %s", s.Detail)
		}
	}
	found := false
	for _, s := range out.Signals {
		if s.Code == "CALL_NEAR_PAYMENT" && s.EntityID == "EB" {
			found = strings.Contains(s.Detail, "6 of 6")
		}
	}
	if !found {
		t.Error("calls right after each payment to the ring gave no signal")
	}
}

func TestValidIBAN(t *testing.T) {
	for iban, want := range map[string]bool{"GB82WEST12345698765432": true, "DE89370400440532013000": true, "DE89370400440532013001": false, "XX": false} {
		if ValidIBAN(iban) != want {
			t.Errorf("ValidIBAN(%s) = %v", iban, !want)
		}
	}
}

func TestAChatReportingAnAmountTiesTheAccountWhenOneSenderFits(t *testing.T) {
	at := time.Date(2025, 3, 1, 21, 0, 0, 0, time.UTC)
	base := func() *filo.Case {
		return &filo.Case{
			Parties: []filo.Party{{ID: "B", FullName: "Marco Bianchi"}, {ID: "C", FullName: "Carlo Neri"}, {ID: "R", FullName: "Maria Santos"}},
			Transactions: filo.TransactionsOf(
				filo.Transaction{ID: "T1", Time: at, SenderPartyID: "B", ReceiverPartyID: "R", Amount: 20, Currency: "EUR"},
				filo.Transaction{ID: "T2", Time: at.Add(-10 * time.Hour), SenderPartyID: "C", ReceiverPartyID: "R", Amount: 20, Currency: "EUR"}, // too early
				filo.Transaction{ID: "T3", Time: at.Add(-time.Hour), SenderPartyID: "C", ReceiverPartyID: "R", Amount: 25, Currency: "EUR"},      // another amount
			),
			Messages: []filo.Message{
				{Platform: "vm", MessageID: "M1", SenderAccountID: "x1", Time: at.Add(12 * time.Minute), Text: "done, 20 EUR"},
				{Platform: "vm", MessageID: "M2", SenderAccountID: "x1", Time: at.AddDate(0, 1, 0), Text: "sent 20 EUR"}, // nothing then
			},
		}
	}
	ents := map[string]string{"B": "EB", "C": "EC", "R": "ER"}
	attributed := func(c *filo.Case, rings [][]string) string {
		out, err := Analyze(context.Background(), Input{Case: c, EntityOf: ents, Rings: rings}, Options{MinConfidence: 0.4})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range out.Attributions {
			if a.PlatformAccount == "vm:x1" {
				return a.EntityID + " " + a.Method
			}
		}
		return ""
	}
	if got := attributed(base(), [][]string{{"ER"}}); got != "EB chat_amount" {
		t.Errorf("attribution %q, want EB by chat_amount", got)
	}
	if got := attributed(base(), nil); got != "" {
		t.Errorf("an amount paid to no suspected ring attributed the account: %q", got)
	}
	two := base()
	two.Transactions.Append(filo.Transaction{ID: "T4", Time: at.Add(-30 * time.Minute), SenderPartyID: "C", ReceiverPartyID: "R", Amount: 20, Currency: "EUR"})
	if got := attributed(two, [][]string{{"ER"}}); got != "" {
		t.Errorf("two senders of the amount, yet the account went to %q", got)
	}
}

func TestALeaseFittingTwoEntitiesOfOnePersonGoesToTheBuyer(t *testing.T) {
	// J. Davis (the buyer's money-transfer record) and John Davis (his bank
	// record, with a birth date) live at the lease's address, kept apart by
	// entity resolution. With another birth date on the first record they
	// are two people, and the line is no one's.
	build := func(otherBirthDate string) []filo.Attribution {
		c := &filo.Case{Parties: []filo.Party{
			{ID: "JD1", FullName: "J. Davis", BirthDate: otherBirthDate, Country: "US", Address: "1368 Elm St, Phoenix"},
			{ID: "JD2", FullName: "John Davis", BirthDate: "1972-11-06", Country: "US", Address: "1368 Elm St, Phoenix"},
		}}
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		c.Subscribers = []filo.Subscriber{{IP: "100.66.0.42", Start: start, End: start.AddDate(1, 0, 0), SubscriberName: "John Davis", Address: "1368 Elm St, Phoenix"}}
		c.PlatformAccounts = []filo.PlatformAccount{{Platform: "vm", AccountID: "d1"}}
		for d := 0; d < 3; d++ {
			c.Sessions.Append(filo.Session{Platform: "vm", SessionID: fmt.Sprintf("S%d", d), AccountID: "d1", Kind: "login", Start: start.AddDate(0, 2, d), IP: "100.66.0.42"})
		}
		out, err := Analyze(context.Background(), Input{Case: c, EntityOf: map[string]string{"JD1": "E1", "JD2": "E2"}, Buyers: []string{"E1"}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return out.Attributions
	}
	if got := build(""); len(got) != 1 || got[0].EntityID != "E1" {
		t.Errorf("one person in two entities: attributions %+v, want vm:d1 → E1, the buyer", got)
	}
	if got := build("1990-01-01"); len(got) != 0 {
		t.Errorf("two people at one address: attributions %+v, want none", got)
	}
}

func TestAnotherLeaseOfTheLineTiesTheAddressToTheBuyer(t *testing.T) {
	// A. Harris (the buyer's money-transfer record, with his phone) and
	// Ashley Harris (his bank record, with the address) are kept apart by
	// entity resolution. The provider has four leases at the address; the
	// one with the phone ties the address, and so the line, to the buyer.
	build := func(bankBirthDate, siblingName string) string {
		c := &filo.Case{Parties: []filo.Party{
			{ID: "B", FullName: "A. Harris", BirthDate: "1974-05-28", Country: "AU", Phone: "+61 412 449 642"},
			{ID: "E", FullName: "Ashley Harris", BirthDate: bankBirthDate, Country: "AU", Address: "576 George St, Melbourne"},
		}}
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		c.Subscribers = []filo.Subscriber{
			{IP: "100.65.0.101", Start: start, End: start.AddDate(0, 6, 0), SubscriberName: "Ashley Harris", Address: "576 George St, Melbourne"},
			{IP: "100.65.0.75", Start: start.AddDate(0, 6, 0), End: start.AddDate(1, 0, 0), SubscriberName: siblingName, Address: "576 George St, Melbourne", Phone: "0412 449 642"},
		}
		c.PlatformAccounts = []filo.PlatformAccount{{Platform: "vm", AccountID: "h1"}}
		for d := 0; d < 3; d++ {
			c.Sessions.Append(filo.Session{Platform: "vm", SessionID: fmt.Sprintf("S%d", d), AccountID: "h1", Kind: "login", Start: start.AddDate(0, 1, d), IP: "100.65.0.101"})
		}
		out, err := Analyze(context.Background(), Input{Case: c, EntityOf: map[string]string{"B": "EB", "E": "EE"}, Buyers: []string{"EB"}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range out.Attributions {
			if a.PlatformAccount == "vm:h1" {
				return a.EntityID
			}
		}
		return ""
	}
	tests := []struct {
		name, bankBirthDate, siblingName, want string
	}{
		{"the lease with the buyer's phone names the same person", "", "Harris, Ashley", "EB"},
		{"the bank record's birth date is another's", "1979-07-05", "Harris, Ashley", "EE"},
		{"the lease with the phone names someone else", "", "Brian Harris", "EE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := build(tt.bankBirthDate, tt.siblingName); got != tt.want {
				t.Errorf("vm:h1 attributed to %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCallsToTheRingAtTheBuyersPaymentsMoveAnAccountToHim(t *testing.T) {
	// Joseph Elis (a bare money-transfer record, a candidate buyer) pays
	// ring identity R; the home line of account x1 is held by Joseph
	// Ellis (a bank record). x1 calls the ring's account around the
	// payments, or on other days.
	build := func(callOffset time.Duration, buyerBirthDate string) (x1, x2 filo.Attribution) {
		c := &filo.Case{Parties: []filo.Party{
			{ID: "B", FullName: "Joseph Elis", BirthDate: buyerBirthDate, Country: "GB"},
			{ID: "E", FullName: "Joseph Ellis", BirthDate: "1996-01-04", Country: "GB", Address: "1238 Park Road, Leeds"},
			{ID: "R", FullName: "Jocelyn Tolentino", Country: "PH", Phone: "+63 917 682 8228"},
		}}
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		c.Subscribers = []filo.Subscriber{{IP: "100.64.160.169", Start: start, End: start.AddDate(1, 0, 0), SubscriberName: "Joseph Ellis", Address: "1238 Park Road, Leeds"}}
		c.PlatformAccounts = []filo.PlatformAccount{{Platform: "vm", AccountID: "x1"}, {Platform: "vm", AccountID: "x2"}, {Platform: "vm", AccountID: "r1", Phone: "+639176828228"}}
		for i := 0; i < 4; i++ {
			// x2, another account on the line, only logs in.
			c.Sessions.Append(filo.Session{Platform: "vm", SessionID: fmt.Sprintf("X%d", i), AccountID: "x2", Kind: "login", Start: start.AddDate(0, 2, i), IP: "100.64.160.169"})
		}
		for i := 0; i < 4; i++ {
			pay := start.AddDate(0, 1, 11*i).Add(21 * time.Hour)
			c.Transactions.Append(filo.Transaction{ID: fmt.Sprintf("T%d", i), Time: pay, SenderPartyID: "B", ReceiverPartyID: "R", AmountUSD: 20})
			c.Sessions.Append(
				filo.Session{Platform: "vm", SessionID: fmt.Sprintf("L%d", i), AccountID: "x1", Kind: "login", Start: pay.Add(-3 * 24 * time.Hour), IP: "100.64.160.169"},
				filo.Session{Platform: "vm", SessionID: fmt.Sprintf("C%d", i), AccountID: "x1", PeerAccountID: "r1", Kind: "video_call", Start: pay.Add(callOffset), IP: "100.64.160.169"})
		}
		out, err := Analyze(context.Background(), Input{Case: c, EntityOf: map[string]string{"B": "EB", "E": "EE", "R": "ER"},
			Rings: [][]string{{"ER"}}, Buyers: []string{"EB"}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range out.Attributions {
			switch a.PlatformAccount {
			case "vm:x1":
				x1 = a
			case "vm:x2":
				x2 = a
			}
		}
		return x1, x2
	}
	tests := []struct {
		name           string
		callOffset     time.Duration
		buyerBirthDate string
		want           string
	}{
		{"calls an hour before each payment", -time.Hour, "", "EB"},
		{"calls on other days", 4 * 24 * time.Hour, "", "EE"},
		{"the buyer has another birth date than the holder of the line", -time.Hour, "1980-02-02", "EE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x1, x2 := build(tt.callOffset, tt.buyerBirthDate)
			if x1.EntityID != tt.want {
				t.Fatalf("vm:x1 attributed to %q (%s), want %q", x1.EntityID, x1.Method, tt.want)
			}
			// The other account of the line follows the one that called.
			if x2.EntityID != tt.want {
				t.Errorf("vm:x2 attributed to %q (%s), want %q", x2.EntityID, x2.Method, tt.want)
			}
			if tt.want == "EB" && (!strings.Contains(x1.Method, "namesake_calls") || !strings.Contains(x2.Method, "namesake_line")) {
				t.Errorf("methods %q, %q do not say why the accounts moved", x1.Method, x2.Method)
			}
		})
	}
}

func TestRetargetMovesAnAttributionToTheOneBuyerOfItsGroup(t *testing.T) {
	tests := []struct {
		name   string
		same   []string
		buyers []string
		want   string
	}{
		{"one entity of the group became a buyer", []string{"EB"}, []string{"EB"}, "EB"},
		{"no entity of the group is a buyer", []string{"EB"}, []string{"EX"}, "EE"},
		{"two entities of the group are buyers", []string{"EB", "EC"}, []string{"EB", "EC"}, "EE"},
		{"the attributed entity is a buyer itself", []string{"EB"}, []string{"EE", "EB"}, "EE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &Output{Attributions: []filo.Attribution{{PlatformAccount: "vm:a1", EntityID: "EE"}},
				SamePerson: map[string][]string{"vm:a1": tt.same}}
			Retarget(out, tt.buyers)
			if got := out.Attributions[0].EntityID; got != tt.want {
				t.Errorf("attributed to %q, want %q", got, tt.want)
			}
		})
	}
}
